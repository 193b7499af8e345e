fn main() {
    std::process::exit(awsenv::app::run());
}
