//! Fuzzing with proptest (cargo fuzz needs a nightly toolchain this project cannot fetch): the
//! parsers, the policy merger and the decoders of cache entries and saved state take arbitrary
//! input without panicking, and what they accept is well-formed.
//!
//! `PROPTEST_CASES=200000 cargo test --release --test fuzz` runs a longer campaign.

use awsenv::policy;
use awsenv::role::RoleRef;
use awsenv::session::params;
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
        let _ = params::validate_session_name(&s);
        prop_assert!(params::validate_session_name(&params::sanitize_session_name(&s)).is_ok());
        let _ = params::validate_policy_arn(&s);
        let _ = params::validate_token_code(&s);
    }

    #[test]
    fn policy_merger(docs in prop::collection::vec(json(), 0..5)) {
        let merged = policy::merge(&docs);
        let text = policy::to_policy_text(&merged);
        prop_assert!(text.chars().all(|c| (c as u32) <= 0xFF));
        prop_assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), merged);
    }

    #[test]
    fn policy_documents(s in prop_oneof![any::<String>(), json().prop_map(|v| v.to_string())]) {
        let _ = policy::decode_document(&s);
        let encoded: String = percent_encoding::utf8_percent_encode(&s, percent_encoding::NON_ALPHANUMERIC).to_string();
        if let Ok(v) = policy::decode_document(&s) {
            prop_assert_eq!(policy::decode_document(&encoded).unwrap(), v);
        }
    }

    #[test]
    fn cache_entry_decoder(bytes in prop_oneof![
        prop::collection::vec(any::<u8>(), 0..300),
        json().prop_map(|v| v.to_string().into_bytes()),
    ]) {
        let _ = serde_json::from_slice::<awsenv::store::cache::Entry>(&bytes);
    }

    #[test]
    fn saved_state_decoder(s in prop_oneof![any::<String>(), json().prop_map(|v| v.to_string())]) {
        if let Ok(saved) = awsenv::env::saved::Saved::decode(&s) {
            // Accepted state names only variables awsenv manages, and holds no secret value.
            for k in saved.vars.keys() {
                prop_assert!(awsenv::env::vars::MANAGED.contains(&k.as_str()));
                prop_assert!(!awsenv::env::vars::SECRET.contains(&k.as_str()));
            }
            for k in &saved.held {
                prop_assert!(awsenv::env::vars::SECRET.contains(&k.as_str()));
            }
        }
    }
}
