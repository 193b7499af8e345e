//! Every value comes back byte for byte in the real shell that evaluates awsenv's output, and
//! nothing else runs (a canary file must not appear).

mod support;

use awsenv::shell::script::Script;
use awsenv::shell::Shell;
use support::{parse_env0, Env};

/// Values chosen for the traps of each shell's quoting.
fn hard_values() -> Vec<String> {
    let mut v: Vec<String> = [
        "",
        "plain",
        "with space",
        "it's",
        "\"double\"",
        "back\\slash",
        "trailing\\",
        "\\",
        "\\\\",
        "\\'",
        "'\\''",
        "end\\'",
        "$(touch CANARY)",
        "`touch CANARY`",
        "'; touch CANARY; '",
        "\\'; touch CANARY; #",
        "\"; touch CANARY; \"",
        "${HOME}",
        "$HOME",
        "$'x\\n'",
        "!!",
        "!$",
        "a\nb",
        "\n",
        "trailing newline\n",
        "cr\r",
        "tab\tx",
        "*",
        "?",
        "[a]",
        "~",
        "~root",
        "#comment",
        ";",
        "&&",
        "|",
        ">x",
        "<x",
        "%s%n",
        "{a,b}",
        "-n",
        "--",
        "=",
        "a=b",
        "=c",
        "=ls",
        "==",
        "ünï©ødé 🚀",
        "\u{2018}single\u{2019} \u{201A}low\u{201B}",
        "'\u{2019}'",
        "\u{201C}double\u{201D}",
        "\u{1}\u{7f}\u{1b}[31m",
        "(x)",
        "$env:PATH",
        "@(1)",
        "%PATH%",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    v.push("x".repeat(10_000));
    v
}

fn round_trip(name: &str) {
    let shell = Shell::from_program(name).unwrap();
    let env = Env::bare();
    let values = hard_values();
    let mut script = Script::new(shell);
    for (i, v) in values.iter().enumerate() {
        script.export(&format!("AWSENV_T{i}"), v).unwrap();
    }
    let file = env.path("script");
    std::fs::write(&file, script.as_str()).unwrap();
    let run = match shell {
        Shell::Fish => "cat script | source; and env -0 > out.env".to_string(),
        _ => "eval \"$(cat script)\" && env -0 > out.env".to_string(),
    };
    let o = env.shell(name, &run);
    support::assert_ok(&o);
    assert!(o.stderr.is_empty(), "{}", support::stderr(&o));
    let got = parse_env0(&std::fs::read(env.path("out.env")).unwrap());
    for (i, v) in values.iter().enumerate() {
        assert_eq!(
            got.get(&format!("AWSENV_T{i}")),
            Some(v),
            "{name}: value {i} {v:?}"
        );
    }
    assert!(!env.path("CANARY").exists(), "{name}: a value was executed");
}

support::for_shells!(round_trip: bash, zsh, fish);

#[test]
fn unset_in_real_shells_keeps_status_zero() {
    for (shell, name) in [
        (Shell::Bash, "bash"),
        (Shell::Zsh, "zsh"),
        (Shell::Fish, "fish"),
    ] {
        let env = Env::bare().set("AWSENV_GONE", "x");
        let mut s = Script::new(shell);
        s.unset(["AWSENV_GONE", "AWSENV_NEVER_SET"]).unwrap();
        std::fs::write(env.path("script"), s.as_str()).unwrap();
        let run = match shell {
            Shell::Fish => "cat script | source; echo $status; env -0 > out.env",
            _ => "eval \"$(cat script)\"; echo $?; env -0 > out.env",
        };
        let o = env.shell(name, run);
        assert_eq!(
            support::stdout(&o),
            "0\n",
            "{name}: {}",
            support::stderr(&o)
        );
        let got = parse_env0(&std::fs::read(env.path("out.env")).unwrap());
        assert!(!got.contains_key("AWSENV_GONE"), "{name}");
    }
}
