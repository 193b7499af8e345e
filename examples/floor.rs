//! The floor for `bench/run`: a hello-world built with awsenv's own release profile, so that
//! the table can say how far above starting a process at all the cached paths are.
fn main() {
    println!("hello");
}
