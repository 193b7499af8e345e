//! Property tests with proptest, beside the coverage-guided fuzzing in `fuzz/` (cargo-fuzz,
//! nightly; `scripts/fuzz`): the parsers, the policy merger and the decoders of cache entries
//! and saved state take arbitrary input without panicking, what they accept is well-formed, and
//! generators of valid and hostile encodings make sure the checks are reached.
//!
//! `PROPTEST_CASES=200000 cargo test --release --test fuzz` runs a longer campaign.
#![allow(clippy::disallowed_methods)] // tests read their own process's environment (clippy.toml is for src/)

use awsenv::creds::{RoleSession, Session};
use awsenv::env::saved::Saved;
use awsenv::env::vars::{MANAGED, SECRET};
use awsenv::policy;
use awsenv::role::RoleRef;
use awsenv::session::params;
use awsenv::store::cache::Entry;
use proptest::prelude::*;
use proptest::test_runner::Config;
use serde_json::Value;

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000)
}

/// Strings that look like the real thing often enough to get past the first checks.
fn arn_like() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "\"?arn:aws(-[a-z]{1,3})?:iam::[0-9]{10,13}:role(/[ -~]{0,8}){0,3}/[\\w+=,.@-]{0,70}\"?",
        "[0-9]{12}:[ -~]{0,70}",
        "[\\w+=,.@-]{0,70}",
    ]
}

fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<String>().prop_map(Value::String),
        prop::sample::select(vec!["Allow", "Deny", "*", "s3:GetObject", "Read"])
            .prop_map(|s| Value::String(s.into())),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(
                prop::sample::select(vec![
                    "Version",
                    "Statement",
                    "Sid",
                    "Effect",
                    "Action",
                    "Resource",
                    "Condition",
                    "x"
                ])
                .prop_map(String::from),
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(Config { cases: cases(), ..Config::default() })]

    #[test]
    fn role_parser(s in arn_like()) {
        if let Ok(r) = RoleRef::parse(&s) {
            // What it accepts has a valid name, and ARNs print back as they parse.
            prop_assert!(awsenv::role::valid_role_name(r.name()));
            if let RoleRef::Arn(a) = &r {
                prop_assert_eq!(RoleRef::parse(&a.to_string()).unwrap(), r.clone());
            }
        }
    }

    #[test]
    fn duration_parser(s in prop_oneof![any::<String>(), "[0-9]{1,6}[smhd]?( ?[0-9]{1,3}[smh])?"]) {
        if let Ok(n) = params::parse_duration(&s) {
            prop_assert!((900..=43200).contains(&n));
        }
    }

    #[test]
    fn tag_and_name_parsers(s in any::<String>()) {
        if let Ok((k, v)) = params::parse_tag(&s) {
            prop_assert!(!k.is_empty() && !k.contains('\n') && !v.contains('\n'));
        }
        if let Ok(n) = params::validate_session_name(&s) {
            prop_assert!((2..=64).contains(&n.len()) && n.bytes().all(awsenv::role::is_iam_name_byte));
        }
        if let Ok(n) = params::validate_source_identity(&s) {
            prop_assert!(!n.contains(':') && !n.contains('/'));
        }
        prop_assert!(params::validate_session_name(&params::sanitize_session_name(&s)).is_ok());
        if let Ok(a) = params::validate_policy_arn(&s) {
            prop_assert!(a.starts_with("arn:aws") && a.contains(":policy/"));
        }
        if let Ok(c) = params::validate_token_code(&s) {
            prop_assert!(c.len() == 6 && c.bytes().all(|b| b.is_ascii_digit()));
        }
    }

    #[test]
    fn policy_merger(docs in prop::collection::vec(json(), 0..5)) {
        let merged = policy::merge(&docs);
        let text = policy::to_policy_text(&merged);
        prop_assert!(text.chars().all(|c| (c as u32) <= 0xFF));
        prop_assert_eq!(&serde_json::from_str::<Value>(&text).unwrap(), &merged);
        // The language is kept: 2008-10-17 (no Version) only when every document is in it.
        let all_2008 = !docs.is_empty() && docs.iter().all(|d| d.get("Version") != Some(&Value::from(policy::VERSION_2012)));
        let expected = if all_2008 { policy::VERSION_2008 } else { policy::VERSION_2012 };
        prop_assert_eq!(&merged["Version"], expected);
    }

    #[test]
    fn policy_documents(s in prop_oneof![any::<String>(), json().prop_map(|v| v.to_string())]) {
        let encoded: String = percent_encoding::utf8_percent_encode(&s, percent_encoding::NON_ALPHANUMERIC).to_string();
        if let Ok(v) = policy::decode_document(&s) {
            prop_assert_eq!(policy::decode_document(&encoded).unwrap(), v);
        }
    }

    #[test]
    fn cache_entry_decoder(bytes in prop_oneof![
        prop::collection::vec(any::<u8>(), 0..300),
        json().prop_map(|v| v.to_string().into_bytes()),
        // Entries awsenv wrote, cut short or with a byte changed, as a crash or a hand leaves
        // them.
        (role_session(), any::<prop::sample::Index>(), any::<u8>(), any::<bool>()).prop_map(
            |(r, at, byte, cut)| {
                let mut b = Entry::new(r).encode().unwrap();
                let i = at.index(b.len());
                if cut { b.truncate(i) } else { b[i] = byte }
                b
            }
        ),
        // Well-formed entries of any format version.
        (role_session(), prop_oneof![Just(1u32), any::<u32>()])
            .prop_map(|(role, version)| serde_json::to_vec(&Entry { version, role }).unwrap()),
    ]) {
        if let Ok(role) = Entry::decode(&bytes) {
            // Only this format is read: another version's fields may mean something else.
            prop_assert_eq!(&serde_json::from_slice::<Value>(&bytes).unwrap()["v"], 1);
            // What is accepted is read back identically after awsenv writes it.
            prop_assert_eq!(Entry::decode(&Entry::new(role.clone()).encode().unwrap()).unwrap(), role);
        }
    }

    #[test]
    fn cache_entries_round_trip(role in role_session()) {
        let bytes = Entry::new(role.clone()).encode().unwrap();
        prop_assert_eq!(Entry::decode(&bytes).unwrap(), role);
    }

    #[test]
    fn saved_state_decoder(s in prop_oneof![
        any::<String>(),
        json().prop_map(|v| v.to_string()),
        saved_state().prop_map(|(text, _)| text),
    ]) {
        if let Ok(saved) = Saved::decode(&s) {
            prop_assert!(safe(&saved), "{:?}", saved);
        }
    }

    /// Encodings of saved state, valid and hostile alike, reach the decoder's checks: valid
    /// ones come back as they were, hostile ones are refused.
    #[test]
    fn saved_state_is_accepted_exactly_when_safe((text, expected) in saved_state()) {
        match (Saved::decode(&text), expected) {
            (Ok(saved), Some(expected)) => prop_assert_eq!(saved, expected),
            (Err(e), None) => prop_assert_eq!(e.exit_code(), 2),
            (got, expected) => prop_assert!(false, "{text}: {got:?}, expected {expected:?}"),
        }
    }
}

/// Accepted saved state names only variables awsenv manages: non-secret ones with their
/// values, secret ones (held by the shell) by name only.
fn safe(saved: &Saved) -> bool {
    saved
        .vars
        .keys()
        .all(|k| MANAGED.contains(&k.as_str()) && !SECRET.contains(&k.as_str()))
        && saved.held.iter().all(|k| SECRET.contains(&k.as_str()))
}

fn role_session() -> impl Strategy<Value = RoleSession> {
    let text = || any::<String>();
    (
        (
            text(),
            text(),
            prop::option::of(text()),
            text(),
            any::<u64>(),
        ),
        (
            prop::option::of(text()),
            text(),
            text(),
            text(),
            any::<i64>(),
            text(),
        ),
    )
        .prop_map(
            |(
                (role_arn, role_name, simulated_by, source, duration),
                (region, id, secret, token, expires_at, arn),
            )| {
                RoleSession {
                    role_arn,
                    role_name,
                    simulated_by,
                    source,
                    duration,
                    region,
                    session: Session {
                        access_key_id: id,
                        secret_access_key: secret,
                        session_token: token,
                        expires_at,
                        session_arn: arn,
                    },
                }
            },
        )
}

/// An `AWSENV_SAVED` value and the state it must decode to, or None when it must be refused:
/// another format version, a variable awsenv does not manage or a secret one among the values,
/// or a held name that is not a secret variable.
fn saved_state() -> impl Strategy<Value = (String, Option<Saved>)> {
    let current = Saved::new(&Default::default()).version;
    // Mostly the names the decoder accepts in each place, so that valid state is common.
    let name = |likely: &'static [&'static str], ok: fn(&str) -> bool| {
        prop_oneof![
            4 => prop::sample::select(likely).prop_map(String::from),
            1 => prop::sample::select(MANAGED.as_slice()).prop_map(String::from),
            1 => "[A-Z_]{1,20}",
        ]
        .prop_map(move |k| {
            let good = ok(&k);
            (k, good)
        })
    };
    let plain: &'static [&'static str] = &[
        "AWS_ACCESS_KEY_ID",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "AWS_PROFILE",
        "AWS_CREDENTIAL_EXPIRATION",
    ];
    let var = name(plain, |k| MANAGED.contains(&k) && !SECRET.contains(&k));
    let held = name(SECRET.as_slice(), |k| SECRET.contains(&k));
    let version = prop_oneof![8 => Just(current), 1 => any::<u32>()];
    (
        prop::collection::vec((var, any::<String>()), 0..6),
        prop::collection::vec(held, 0..3),
        version,
    )
        .prop_map(move |(vars, held, version)| {
            let ok = version == current
                && vars.iter().all(|((_, ok), _)| *ok)
                && held.iter().all(|(_, ok)| *ok);
            let saved = Saved {
                version,
                vars: vars.into_iter().map(|((k, _), v)| (k, v)).collect(),
                held: held.into_iter().map(|(k, _)| k).collect(),
            };
            (saved.encode(), ok.then_some(saved))
        })
}
