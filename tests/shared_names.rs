//! The names awsenv's Rust code and the bundled scripts share are defined once, in
//! `awsenv::shell::names`: the files in shell/ spell them only as placeholders, and `awsenv
//! init` leaves none unfilled.

use std::path::{Path, PathBuf};

use awsenv::shell::init::{render, InitTarget};
use awsenv::shell::names::{CLOSE, OPEN, SHARED};
use clap::ValueEnum;

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn ident(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Where `name` stands as a name of its own in `text`: not inside a longer identifier (a prefix
/// such as `__awsenv_saved_` may be followed by anything).
fn spelled(text: &str, name: &str) -> usize {
    let prefix = name.ends_with('_');
    text.match_indices(name)
        .filter(|(i, _)| {
            !ident(text[..*i].chars().next_back())
                && (prefix || !ident(text[i + name.len()..].chars().next()))
        })
        .count()
}

/// Every `__AWSENV_<KEY>__` in `text`.
fn placeholders(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (i, _) in text.match_indices(OPEN) {
        let rest = &text[i + OPEN.len()..];
        let key: String = rest
            .chars()
            .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '_')
            .collect();
        if let Some(key) = key.strip_suffix(CLOSE).filter(|k| !k.is_empty()) {
            found.push(key.to_string());
        }
    }
    found
}

#[test]
fn shell_files_spell_shared_names_only_as_placeholders() {
    let mut all = Vec::new();
    files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("shell"),
        &mut all,
    );
    assert!(all.len() >= 6, "shell/ holds the bundled scripts: {all:?}");
    let mut literal = Vec::new();
    let mut filled = 0;
    for f in &all {
        let text = std::fs::read_to_string(f).unwrap();
        for (key, name) in SHARED {
            if spelled(&text, name) > 0 {
                literal.push(format!(
                    "{}: {name} (write {OPEN}{key}{CLOSE})",
                    f.display()
                ));
            }
        }
        filled += placeholders(&text).len();
    }
    // What the scan looks for is there, in its placeholder form.
    assert!(filled > 50, "only {filled} placeholders in shell/");
    assert!(literal.is_empty(), "{}", literal.join("\n"));
}

#[test]
fn init_fills_every_placeholder() {
    for target in InitTarget::value_variants() {
        let template = target.template();
        let keys = placeholders(template);
        assert!(!keys.is_empty(), "{target:?}: no placeholder to fill");
        let out = render(*target, "/usr/bin/awsenv");
        assert_eq!(placeholders(&out), Vec::<String>::new(), "{target:?}");
        assert!(!out.contains("@AWSENV_BIN@"), "{target:?}");
        for key in keys {
            let (_, name) = SHARED.iter().find(|(k, _)| *k == key).unwrap();
            assert!(spelled(&out, name) > 0, "{target:?}: {name}");
        }
    }
}

#[test]
fn the_scans_see_what_they_look_for() {
    assert_eq!(spelled("$AWSENV_ROLE x", "AWSENV_ROLE"), 1);
    assert_eq!(spelled("AWSENV_ROLE_ARN __AWSENV_ROLE__", "AWSENV_ROLE"), 0);
    assert_eq!(spelled("MY_AWSENV_ROLE", "AWSENV_ROLE"), 0);
    assert_eq!(spelled("'__awsenv_saved_*'", "__awsenv_saved_"), 1);
    assert_eq!(
        placeholders("$__AWSENV_ROLE__ '__AWSENV_NU_HOLD__' __AWSENV_<KEY>__"),
        ["ROLE", "NU_HOLD"]
    );
}
