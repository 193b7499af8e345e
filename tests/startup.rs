//! What Rust's own start-up would have done, which `main` does itself (it skips that start-up:
//! src/main.rs): the arguments reach awsenv on every libc, and closed standard descriptors
//! are opened on /dev/null, so the first file awsenv opens can never be its stdout.
//! Run on the debug, release and static binaries (`AWSENV_TEST_BIN`).

mod support;

use support::{assert_ok, awsenv_bin, role_arn, stdout, Env};

#[test]
fn arguments_reach_awsenv() {
    let env = Env::bare();
    let o = env.awsenv(&["init", "--help"]);
    assert_ok(&o);
    assert!(stdout(&o).contains("Usage: awsenv init"), "{}", stdout(&o));
    // An unknown argument is an error: the arguments were read, not ignored.
    let o = env.awsenv(&["--no-such-option"]);
    assert_eq!(o.status.code(), Some(2));
}

/// What the command `exec` starts inherits shows awsenv's own descriptors: /dev/null where
/// they were closed, never a file awsenv opened (the cache, the network).
#[test]
fn a_command_inherits_dev_null_for_closed_descriptors() {
    let env = Env::user("dev");
    let script = format!(
        "'{}' exec {} -- sh -c 'for f in 0 1 2; do readlink /proc/$$/fd/$f; done | cat > fds' \
         <&- >&- 2>&-; echo \"rc=$?\" > rc",
        awsenv_bin().display(),
        role_arn("app/Target")
    );
    assert_ok(&env.shell("bash", &script));
    assert_eq!(
        std::fs::read_to_string(env.path("rc")).unwrap().trim(),
        "rc=0"
    );
    let fds = std::fs::read_to_string(env.path("fds")).unwrap();
    assert_eq!(fds, "/dev/null\n/dev/null\n/dev/null\n");
}
