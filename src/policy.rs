//! Session policies for `simulate`: decoding IAM's documents, merging inline policies into one,
//! and fitting everything into AWS's limits before STS is asked.

use serde_json::{Map, Value};

use crate::error::{Error, Result};

/// AWS: the plaintext of the inline session policy and the managed policy ARNs together may
/// not exceed 2,048 characters.
pub const PLAINTEXT_BUDGET: usize = 2048;
/// AWS: at most 10 managed policy ARNs per session.
pub const MAX_POLICY_ARNS: usize = 10;

/// Parses a policy document as IAM returns it: GetRole and GetRolePolicy URL-encode it (some
/// emulators do not). Percent-decoding, not form-decoding: a `+` in a policy is a `+`.
pub fn decode_document(raw: &str) -> Result<Value> {
    let parsed = serde_json::from_str::<Value>(raw).or_else(|_| {
        let decoded = percent_encoding::percent_decode_str(raw)
            .decode_utf8()
            .map_err(|e| Error::Rejected(format!("a policy document is not UTF-8: {e}")))?;
        serde_json::from_str::<Value>(&decoded)
            .map_err(|e| Error::Rejected(format!("a policy document is not valid JSON: {e}")))
    })?;
    if !parsed.is_object() {
        return Err(Error::Rejected(
            "a policy document is not a JSON object".to_string(),
        ));
    }
    Ok(parsed)
}

/// The statements of a document: `Statement` may be an array or a single object.
fn statements(doc: &Value) -> Vec<Value> {
    match doc.get("Statement") {
        Some(Value::Array(a)) => a.clone(),
        Some(v @ Value::Object(_)) => vec![v.clone()],
        _ => Vec::new(),
    }
}

pub const VERSION_2012: &str = "2012-10-17";
/// The policy language of a document without `Version`: `${…}` is plain text in it.
pub const VERSION_2008: &str = "2008-10-17";

/// The policy language a document is written in. IAM accepts only these two, so anything but
/// 2012-10-17 (a missing `Version` above all) reads as 2008-10-17.
fn version(doc: &Value) -> &'static str {
    match doc.get("Version") {
        Some(Value::String(v)) if v == VERSION_2012 => VERSION_2012,
        _ => VERSION_2008,
    }
}

/// Rewrites a 2008-10-17 statement so that it means the same under 2012-10-17, where `${`
/// starts a policy variable: each `${` becomes `${$}{` (`${$}` is IAM's fixed variable for a
/// `$`, and substitution is one pass). Only where IAM reads variables: Resource, NotResource,
/// and the values of string and ARN conditions; elsewhere `${` is plain text in both.
fn keep_2008_meaning(st: &mut Value) {
    fn escape(v: &mut Value) {
        match v {
            Value::String(s) if s.contains("${") => *s = s.replace("${", "${$}{"),
            Value::Array(items) => items.iter_mut().for_each(escape),
            _ => {}
        }
    }
    let Value::Object(m) = st else { return };
    for key in ["Resource", "NotResource"] {
        if let Some(v) = m.get_mut(key) {
            escape(v);
        }
    }
    if let Some(Value::Object(operators)) = m.get_mut("Condition") {
        for (op, keys) in operators.iter_mut() {
            // `ForAnyValue:StringLike`, `StringEqualsIfExists`, `ArnNotLike`, ...
            let base = op.rsplit(':').next().unwrap_or(op);
            if base.starts_with("String") || base.starts_with("Arn") {
                if let Value::Object(keys) = keys {
                    keys.values_mut().for_each(escape);
                }
            }
        }
    }
}

/// Merges documents into one: statements concatenated in order, exact duplicates (ignoring
/// their Sid) dropped, Sids kept unique by numbering the later ones. The result is in
/// 2008-10-17 when every document is, else in 2012-10-17 with the 2008 statements rewritten
/// to mean what they meant.
pub fn merge(docs: &[Value]) -> Value {
    let target = if !docs.is_empty() && docs.iter().all(|d| version(d) == VERSION_2008) {
        VERSION_2008
    } else {
        VERSION_2012
    };
    let mut out: Vec<Value> = Vec::new();
    let mut seen_bodies: Vec<Value> = Vec::new();
    let mut sids: Vec<String> = Vec::new();
    for doc in docs {
        let rewrite = version(doc) != target;
        for mut st in statements(doc) {
            if rewrite {
                keep_2008_meaning(&mut st);
            }
            let mut body = st.clone();
            if let Value::Object(m) = &mut body {
                m.remove("Sid");
            }
            if seen_bodies.contains(&body) {
                continue;
            }
            seen_bodies.push(body);
            let mut st = st;
            if let Some(Value::String(sid)) = st.get("Sid").cloned() {
                let mut unique = sid.clone();
                let mut n = 2;
                while sids.contains(&unique) {
                    unique = format!("{sid}{n}");
                    n += 1;
                }
                sids.push(unique.clone());
                if let Value::Object(m) = &mut st {
                    m.insert("Sid".to_string(), Value::String(unique));
                }
            }
            out.push(st);
        }
    }
    let mut doc = Map::new();
    doc.insert("Version".into(), Value::String(target.into()));
    doc.insert("Statement".into(), Value::Array(out));
    Value::Object(doc)
}

/// Minified JSON in the characters AWS accepts in a policy (U+0020..U+00FF, tab, LF, CR):
/// anything beyond U+00FF can only be inside a string, where a `\uXXXX` escape means the same.
pub fn to_policy_text(doc: &Value) -> String {
    let json = doc.to_string();
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if (c as u32) <= 0xFF {
            out.push(c);
        } else {
            let mut buf = [0u16; 2];
            for unit in c.encode_utf16(&mut buf) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}

/// Characters counted against the plaintext budget.
pub fn budget_used(policy: Option<&str>, arns: &[String]) -> usize {
    policy.map(|p| p.chars().count()).unwrap_or(0)
        + arns.iter().map(|a| a.chars().count()).sum::<usize>()
}

/// A managed policy attached to the target.
#[derive(Debug, Clone)]
pub struct Managed {
    pub arn: String,
    /// The default version's document, when it was fetched.
    pub document: Option<Value>,
}

impl Managed {
    /// The account in the ARN: `aws` for AWS-managed policies.
    pub fn account(&self) -> &str {
        self.arn.split(':').nth(4).unwrap_or_default()
    }

    pub fn partition(&self) -> &str {
        self.arn.split(':').nth(1).unwrap_or_default()
    }
}

/// What will be sent, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub policy: Option<String>,
    pub policy_arns: Vec<String>,
    /// Managed policies whose documents were merged into `policy`, with the reason.
    pub inlined: Vec<(String, &'static str)>,
    pub budget: usize,
}

/// Which managed policies cannot be passed as ARNs and must be inlined: customer-managed ones
/// from an account other than the base role's (AWS accepts only the base role's account), and
/// beyond 10 ARNs the smallest documents (so the most stays as short ARNs).
pub fn must_inline(managed: &[Managed], base_account: &str) -> Vec<(usize, &'static str)> {
    let mut out: Vec<(usize, &'static str)> = managed
        .iter()
        .enumerate()
        .filter(|(_, m)| m.account() != "aws" && m.account() != base_account)
        .map(|(i, _)| (i, "customer-managed in another account than the base role"))
        .collect();
    let remaining = managed.len() - out.len();
    if remaining > MAX_POLICY_ARNS {
        let mut rest: Vec<usize> = (0..managed.len())
            .filter(|i| !out.iter().any(|(j, _)| j == i))
            .collect();
        // Smallest documents first; unknown sizes last (they are fetched before planning).
        rest.sort_by_key(|&i| {
            managed[i]
                .document
                .as_ref()
                .map(|d| d.to_string().len())
                .unwrap_or(usize::MAX)
        });
        for i in rest.into_iter().take(remaining - MAX_POLICY_ARNS) {
            out.push((i, "more than 10 managed policies"));
        }
    }
    out
}

/// Builds the session policy plan, or says exactly why none fits.
pub fn plan(
    inline: &[Value],
    managed: &[Managed],
    base_account: &str,
    base_partition: &str,
) -> Result<Plan> {
    if inline.is_empty() && managed.is_empty() {
        return Err(Error::NotFound(
            "the target role has no inline or attached policies: there is nothing to simulate \
             (a session without session policies would have all of the base role's permissions)"
                .to_string(),
        ));
    }
    if let Some(m) = managed.iter().find(|m| m.partition() != base_partition) {
        return Err(Error::usage(format!(
            "{} is in partition `{}` but the base role is in `{base_partition}`: a simulation \
             cannot cross partitions",
            m.arn,
            m.partition()
        )));
    }
    let to_inline = must_inline(managed, base_account);
    let mut docs: Vec<Value> = inline.to_vec();
    let mut inlined = Vec::new();
    for (i, why) in &to_inline {
        let m = &managed[*i];
        let doc = m.document.clone().ok_or_else(|| {
            Error::Rejected(format!(
                "{} must be inlined ({why}) but its document could not be read",
                m.arn
            ))
        })?;
        docs.push(doc);
        inlined.push((m.arn.clone(), *why));
    }
    let policy_arns: Vec<String> = managed
        .iter()
        .enumerate()
        .filter(|(i, _)| !to_inline.iter().any(|(j, _)| j == i))
        .map(|(_, m)| m.arn.clone())
        .collect();
    let policy = (!docs.is_empty()).then(|| to_policy_text(&merge(&docs)));
    let budget = budget_used(policy.as_deref(), &policy_arns);
    if budget > PLAINTEXT_BUDGET {
        let policy_len = policy.as_deref().map(|p| p.chars().count()).unwrap_or(0);
        return Err(Error::Rejected(format!(
            "the target's policies need {budget} characters as session policies; AWS allows \
             {PLAINTEXT_BUDGET} (merged inline policy {policy_len}, {} policy ARNs {}{}).\n\
             Trim the target's inline policies, or simulate with fewer of its policies.",
            policy_arns.len(),
            budget - policy_len,
            if inlined.is_empty() {
                String::new()
            } else {
                format!(", {} managed documents inlined", inlined.len())
            }
        )));
    }
    Ok(Plan {
        policy,
        policy_arns,
        inlined,
        budget,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn decodes_url_encoded_and_raw_documents() {
        let raw = r#"{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"a+b%"}}"#;
        assert_eq!(
            decode_document(raw).unwrap()["Statement"]["Resource"],
            "a+b%"
        );
        let encoded = "%7B%22Statement%22%3A%7B%22Resource%22%3A%22a%2Bb+c%22%7D%7D";
        // `+` stays `+`: percent-decoding, not form-decoding.
        assert_eq!(
            decode_document(encoded).unwrap()["Statement"]["Resource"],
            "a+b+c"
        );
        assert!(decode_document("%7Bnot").is_err());
        assert!(decode_document("[1]").is_err());
    }

    #[test]
    fn merge_concatenates_dedupes_and_keeps_sids_unique() {
        let a = json!({"Version":"2012-10-17","Statement":[
            {"Sid":"Read","Effect":"Allow","Action":"s3:GetObject","Resource":"*"},
            {"Effect":"Allow","Action":"ssm:DescribeParameters","Resource":"*"}]});
        // A single statement object, a duplicate with another Sid, and a Sid clash.
        let b =
            json!({"Statement":{"Sid":"Read","Effect":"Allow","Action":"sqs:*","Resource":"*"}});
        let c = json!({"Statement":[{"Sid":"Other","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]});
        let m = merge(&[a, b, c]);
        assert_eq!(
            to_policy_text(&m),
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Action":"s3:GetObject","Resource":"*"},{"Effect":"Allow","Action":"ssm:DescribeParameters","Resource":"*"},{"Sid":"Read2","Effect":"Allow","Action":"sqs:*","Resource":"*"}]}"#
        );
    }

    #[test]
    fn documents_in_2008_stay_in_2008() {
        // Without Version a document is 2008-10-17, where `${aws:username}` is plain text.
        let a = json!({"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:username}/*"}]});
        let b = json!({"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"sqs:*","Resource":"*"}});
        assert_eq!(
            to_policy_text(&merge(&[a, b])),
            r#"{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:username}/*"},{"Effect":"Allow","Action":"sqs:*","Resource":"*"}]}"#
        );
    }

    #[test]
    fn mixed_versions_merge_into_2012_with_2008_text_kept_literal() {
        let new = json!({"Version":"2012-10-17","Statement":[
            {"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:username}/*"}]});
        let old = json!({"Statement":[
            // The same text as above means another thing here: a key literally named so.
            {"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:username}/*"},
            {"Effect":"Allow","Action":"s3:ListBucket","NotResource":["x","a${b}c${d}"],
             "Condition":{
                "StringLike":{"s3:prefix":["${aws:username}/*","$plain"]},
                "ForAnyValue:ArnEquals":{"aws:SourceArn":"arn:aws:sns:*:*:${x}"},
                "NumericLessThan":{"s3:max-keys":"${n}"}}},
            // No `${`: identical in both languages, so still a duplicate.
            {"Effect":"Allow","Action":"sqs:*","Resource":"*"}]});
        let also_new = json!({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:*","Resource":"*"}]});
        let m = merge(&[new, old, also_new]);
        assert_eq!(m["Version"], "2012-10-17");
        let st = m["Statement"].as_array().unwrap();
        assert_eq!(st.len(), 4, "{m}");
        assert_eq!(st[0]["Resource"], "arn:aws:s3:::b/${aws:username}/*");
        assert_eq!(st[1]["Resource"], "arn:aws:s3:::b/${$}{aws:username}/*");
        assert_eq!(st[2]["NotResource"], json!(["x", "a${$}{b}c${$}{d}"]));
        let cond = &st[2]["Condition"];
        assert_eq!(
            cond["StringLike"]["s3:prefix"],
            json!(["${$}{aws:username}/*", "$plain"])
        );
        assert_eq!(
            cond["ForAnyValue:ArnEquals"]["aws:SourceArn"],
            "arn:aws:sns:*:*:${$}{x}"
        );
        // Variables are not read in numeric conditions: the text stays as it was.
        assert_eq!(cond["NumericLessThan"]["s3:max-keys"], "${n}");
        assert_eq!(st[3]["Action"], "sqs:*");
    }

    #[test]
    fn characters_beyond_latin1_are_escaped() {
        let d = json!({"Statement":[{"Resource":"é€🚀"}]});
        let t = to_policy_text(&d);
        assert_eq!(t, r#"{"Statement":[{"Resource":"é\u20ac\ud83d\ude80"}]}"#);
        assert!(t.chars().all(|c| (0x20..=0xFF).contains(&(c as u32))));
        // The escapes mean the same document.
        assert_eq!(serde_json::from_str::<Value>(&t).unwrap(), d);
    }

    #[test]
    fn budget_counts_policy_and_arns() {
        assert_eq!(budget_used(None, &[]), 0);
        assert_eq!(budget_used(Some("{}"), &["abc".into(), "de".into()]), 7);
        assert_eq!(budget_used(Some("é"), &[]), 1);
    }

    fn managed(n: usize, account: &str) -> Vec<Managed> {
        (0..n)
            .map(|i| Managed {
                arn: format!("arn:aws:iam::{account}:policy/p{i:02}"),
                document: Some(json!({"Statement":[{"Effect":"Allow","Action":format!("s{}:{}", i, "x".repeat(i)),"Resource":"*"}]})),
            })
            .collect()
    }

    #[test]
    fn ten_arns_pass_as_arns() {
        let p = plan(&[], &managed(10, "123456789012"), "123456789012", "aws").unwrap();
        assert_eq!(p.policy_arns.len(), 10);
        assert!(p.policy.is_none() && p.inlined.is_empty());
        assert_eq!(p.budget, 10 * "arn:aws:iam::123456789012:policy/p00".len());
    }

    #[test]
    fn beyond_ten_the_smallest_documents_are_inlined() {
        let p = plan(&[], &managed(12, "123456789012"), "123456789012", "aws").unwrap();
        assert_eq!(p.policy_arns.len(), 10);
        let inlined: Vec<&str> = p.inlined.iter().map(|(a, _)| a.as_str()).collect();
        assert_eq!(
            inlined,
            [
                "arn:aws:iam::123456789012:policy/p00",
                "arn:aws:iam::123456789012:policy/p01"
            ]
        );
        let policy = p.policy.unwrap();
        assert!(policy.contains("s0:") && policy.contains("s1:x"));
        assert_eq!(p.budget, budget_used(Some(&policy), &p.policy_arns));
    }

    #[test]
    fn other_account_customer_policies_are_inlined_aws_managed_kept() {
        let mut m = managed(2, "999999999999");
        m.push(Managed {
            arn: "arn:aws:iam::aws:policy/ReadOnlyAccess".into(),
            document: None,
        });
        let p = plan(&[], &m, "123456789012", "aws").unwrap();
        assert_eq!(p.policy_arns, ["arn:aws:iam::aws:policy/ReadOnlyAccess"]);
        assert_eq!(p.inlined.len(), 2);
    }

    #[test]
    fn over_budget_says_by_how_much() {
        let big = json!({"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"x".repeat(2100)}]});
        let err = plan(&[big], &[], "123456789012", "aws").unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("AWS allows 2048"), "{msg}");
        assert!(msg.contains("merged inline policy 21"), "{msg}");
        // Exactly at the budget passes.
        let pad = |n: usize| json!({"Statement":[{"Resource":"x".repeat(n)}]});
        let base = to_policy_text(&merge(&[pad(0)])).len();
        assert!(plan(&[pad(2048 - base)], &[], "1", "aws").is_ok());
        assert!(plan(&[pad(2049 - base)], &[], "1", "aws").is_err());
    }

    #[test]
    fn nothing_to_simulate_and_partitions() {
        assert_eq!(plan(&[], &[], "1", "aws").unwrap_err().exit_code(), 12);
        let m = vec![Managed {
            arn: "arn:aws-cn:iam::aws:policy/X".into(),
            document: None,
        }];
        assert!(plan(&[], &m, "1", "aws")
            .unwrap_err()
            .to_string()
            .contains("partition"));
    }
}
