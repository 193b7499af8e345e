//! Quoting, proven: generated values of every kind go through each real shell in one process and
//! must come back byte for byte, with nothing else run (a canary file must not appear).
//! PowerShell, which cannot be installed here, is checked against an exact model of its
//! single-quoted strings. Failing cases are kept in `quoting_props.proptest-regressions`.

mod support;

use std::collections::BTreeMap;

use awsenv::shell::powershell::is_single_quote as is_powershell_single_quote;
use awsenv::shell::script::Script;
use awsenv::shell::Shell;
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence};
use support::{parse_env0, Env};

/// Values per shell per run: one batch of this many in each shell.
const BATCH: usize = 2000;

/// Characters every shell treats specially, weighted up against the rest of Unicode.
fn special_char() -> impl Strategy<Value = char> {
    prop::sample::select(vec![
        '\'', '"', '\\', '$', '`', '%', '!', '*', '?', '[', ']', '{', '}', '(', ')', '~', '#', ';',
        '&', '|', '<', '>', '^', '@', '=', ' ', '\n', '\r', '\t', '\u{1}', '\u{1b}', '\u{7f}',
        '\u{2018}', '\u{2019}', '\u{201A}', '\u{201B}', '\u{201C}', '\u{201D}', '\u{85}', '\u{a0}',
        '\u{2028}', '\u{feff}', 'é', '🚀',
    ])
}

fn value() -> impl Strategy<Value = String> {
    let c = prop_oneof![
        4 => special_char(),
        2 => any::<char>(),
        3 => prop::char::range('a', 'z'),
    ]
    .prop_filter("no NUL in an environment", |c| *c != '\0');
    prop::collection::vec(c, 0..24).prop_map(|v| v.into_iter().collect())
}

/// With nushell's own delimiters (`'` then runs of `#`) weighted up: they decide the raw
/// string's length.
fn nu_value() -> impl Strategy<Value = String> {
    let c = prop_oneof![
        3 => prop::sample::select(vec!['\'', '#', '#', 'r', '"', '{', '}', '(', ')', '$', ':', ',']),
        3 => special_char(),
        2 => any::<char>(),
        2 => prop::char::range('a', 'z'),
    ]
    .prop_filter("no NUL in an environment", |c| *c != '\0');
    prop::collection::vec(c, 0..24).prop_map(|v| v.into_iter().collect())
}

fn config() -> Config {
    Config {
        cases: 1,
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..Config::default()
    }
}

fn round_trip(shell: Shell, values: &[String]) -> Result<(), TestCaseError> {
    let env = Env::bare();
    let mut script = Script::new(shell);
    for (i, v) in values.iter().enumerate() {
        script.export(&format!("AWSENV_P{i}"), v).unwrap();
    }
    std::fs::write(env.path("script"), script.as_str()).unwrap();
    if shell == Shell::Nu {
        let init = env.awsenv(&["init", "nu"]);
        std::fs::write(env.path("init.nu"), &init.stdout).unwrap();
        // The record is nushell code as well as NUON: read it as code too.
        std::fs::write(env.path("code.nu"), format!("let r = {}", script.as_str())).unwrap();
    }
    let (name, run) = match shell {
        Shell::Bash => ("bash", "eval \"$(cat script)\" && env -0 > out.env"),
        Shell::Zsh => ("zsh", "eval \"$(cat script)\" && env -0 > out.env"),
        Shell::Fish => ("fish", "cat script | source; and env -0 > out.env"),
        Shell::Nu => (
            "nu",
            "source init.nu; awsenv-apply (open --raw script); ^env -0 o> out.env\n\
             source code.nu; $r | to json -r | save -f out.json",
        ),
        Shell::Powershell => unreachable!(),
    };
    let o = env.shell(name, run);
    prop_assert!(o.status.success(), "{name}: {}", support::stderr(&o));
    let got = parse_env0(&std::fs::read(env.path("out.env")).unwrap());
    for (i, v) in values.iter().enumerate() {
        prop_assert_eq!(
            got.get(&format!("AWSENV_P{i}")),
            Some(v),
            "{}: value {}",
            name,
            i
        );
    }
    if shell == Shell::Nu {
        let code: BTreeMap<String, String> =
            serde_json::from_slice(&std::fs::read(env.path("out.json")).unwrap()).unwrap();
        for (i, v) in values.iter().enumerate() {
            prop_assert_eq!(
                code.get(&format!("AWSENV_P{i}")),
                Some(v),
                "nu code: value {}",
                i
            );
        }
    }
    prop_assert!(!env.path("CANARY").exists());
    Ok(())
}

/// Every value also carries a payload that would create the canary if it ever ran.
fn with_canaries(mut values: Vec<String>) -> Vec<String> {
    for (i, v) in values.iter_mut().enumerate() {
        match i % 4 {
            0 => v.push_str("$(touch CANARY)"),
            1 => v.insert_str(0, "`touch CANARY`"),
            2 => v.push_str("'; touch CANARY; '"),
            _ => v.push_str("\\'; touch CANARY; #"),
        }
    }
    values
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn bash_values_round_trip(values in prop::collection::vec(value(), BATCH)) {
        round_trip(Shell::Bash, &values)?;
        round_trip(Shell::Bash, &with_canaries(values))?;
    }

    #[test]
    fn zsh_values_round_trip(values in prop::collection::vec(value(), BATCH)) {
        round_trip(Shell::Zsh, &values)?;
        round_trip(Shell::Zsh, &with_canaries(values))?;
    }

    #[test]
    fn fish_values_round_trip(values in prop::collection::vec(value(), BATCH)) {
        round_trip(Shell::Fish, &values)?;
        round_trip(Shell::Fish, &with_canaries(values))?;
    }

    #[test]
    fn nu_values_round_trip(values in prop::collection::vec(nu_value(), BATCH)) {
        round_trip(Shell::Nu, &values)?;
        round_trip(Shell::Nu, &with_canaries(values))?;
    }
}

/// PowerShell's reading of a single-quoted string, as its tokenizer does it: any of `'` and
/// U+2018..U+201B ends the string, unless the next character is one of them too, in which case
/// that next character is taken literally. Returns the value and the characters consumed.
fn powershell_read_single_quoted(s: &str) -> Option<(String, usize)> {
    let chars: Vec<char> = s.chars().collect();
    if !chars
        .first()
        .copied()
        .is_some_and(is_powershell_single_quote)
    {
        return None;
    }
    let mut out = String::new();
    let mut i = 1;
    while i < chars.len() {
        let c = chars[i];
        if is_powershell_single_quote(c) {
            if chars
                .get(i + 1)
                .copied()
                .is_some_and(is_powershell_single_quote)
            {
                out.push(chars[i + 1]);
                i += 2;
                continue;
            }
            return Some((out, i + 1));
        }
        out.push(c);
        i += 1;
    }
    None
}

proptest! {
    #![proptest_config(Config { cases: 20_000, ..config() })]

    #[test]
    fn powershell_literals_read_back_exactly(v in value()) {
        let quoted = Shell::Powershell.quote(&v);
        let (read, used) = powershell_read_single_quoted(&quoted).expect("a closed literal");
        prop_assert_eq!(&read, &v);
        prop_assert_eq!(used, quoted.chars().count(), "the literal ends where the quoting ends");
    }

    #[test]
    fn powershell_statements_end_at_the_semicolon(v in value()) {
        let mut s = Script::new(Shell::Powershell);
        s.export("AWSENV_X", &v).unwrap();
        let line = s.into_string();
        let rest = line.strip_prefix("$env:AWSENV_X = ").unwrap();
        let (read, used) = powershell_read_single_quoted(rest).unwrap();
        prop_assert_eq!(read, v);
        let tail: String = rest.chars().skip(used).collect();
        prop_assert_eq!(tail, ";\n");
    }
}

#[test]
fn the_powershell_model_knows_the_traps() {
    // A lone typographic quote ends the string in PowerShell: the model must see that.
    assert_eq!(
        powershell_read_single_quoted("'a\u{2019}b'"),
        Some(("a".into(), 3))
    );
    assert_eq!(
        powershell_read_single_quoted("'a\u{2019}\u{2019}b'"),
        Some(("a\u{2019}b".into(), 6))
    );
    assert_eq!(
        powershell_read_single_quoted("'a''b'"),
        Some(("a'b".into(), 6))
    );
}
