fn main() {
    std::process::exit(awsenv::cmd::run());
}
