//! The session policy path of `simulate`: each input line is a policy document as IAM returns
//! it (raw or URL-encoded JSON); the merge is valid JSON in AWS's characters that means the
//! merged document, and planning with managed policies never panics.
#![no_main]

use awsenv::policy::{self, Managed};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|text: &str| {
    let docs: Vec<Value> = text
        .lines()
        .filter_map(|l| policy::decode_document(l).ok())
        .collect();
    let merged = policy::merge(&docs);
    let out = policy::to_policy_text(&merged);
    assert!(out.chars().all(|c| (c as u32) <= 0xFF), "{out}");
    assert_eq!(serde_json::from_str::<Value>(&out).unwrap(), merged);
    // As many managed policies as the input has lines, half of them in another account, so
    // both reasons to inline (over ten ARNs, foreign account) come up.
    let managed: Vec<Managed> = (0..text.lines().count().min(24))
        .map(|i| Managed {
            arn: format!(
                "arn:aws:iam::{}:policy/p{i}",
                if i % 2 == 0 {
                    "123456789012"
                } else {
                    "210987654321"
                }
            ),
            document: docs.get(i % docs.len().max(1)).cloned(),
        })
        .collect();
    if let Ok(plan) = policy::plan(&docs, &managed, "123456789012", "aws") {
        assert!(plan.policy_arns.len() <= policy::MAX_POLICY_ARNS);
        assert!(plan.budget <= policy::PLAINTEXT_BUDGET);
        assert_eq!(
            plan.budget,
            policy::budget_used(plan.policy.as_deref(), &plan.policy_arns)
        );
    }
});
