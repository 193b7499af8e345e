//! Which rule of the policy allows a request: first who may ask at all, then for what, then
//! (once the target is read) whether its trust policy names one of the rule's services.

use serde_json::Value;

use super::policy::{glob, role_matches, Rule};
use super::trust::{refusal, trusts_service};
use crate::aws::iam::TargetRole;
use crate::error::Error;

/// The rules whose callers name `principal`, and among them those whose roles may name the
/// target (by name, or by the ARN asked for). Nothing is read for a caller no rule names.
pub fn candidates(
    rules: &[Rule],
    principal: &str,
    role: &str,
    target_name: &str,
    requested_arn: Option<&str>,
) -> std::result::Result<Vec<usize>, (Option<usize>, Error)> {
    let for_caller: Vec<usize> = (0..rules.len())
        .filter(|&i| rules[i].callers.iter().any(|c| glob(c, principal)))
        .collect();
    if for_caller.is_empty() {
        // Who else may ask is none of this caller's business: the policy is not shown.
        return Err((
            None,
            Error::AccessDenied(format!(
                "no rule of its policy names the caller {principal}; ask the broker's owner \
                 to add you to a rule's callers"
            )),
        ));
    }
    let candidates: Vec<usize> = for_caller
        .iter()
        .copied()
        .filter(|&i| {
            rules[i]
                .roles
                .iter()
                .any(|p| role_matches(p, target_name, requested_arn).unwrap_or(true))
        })
        .collect();
    if candidates.is_empty() {
        return Err((
            for_caller.first().copied(),
            Error::AccessDenied(format!(
                "rule {} lets {principal} simulate only roles {}; `{role}` is not one of them \
                 (names match exactly, with * and ? as wildcards)",
                for_caller
                    .iter()
                    .map(|i| i.to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
                for_caller
                    .iter()
                    .flat_map(|&i| rules[i].roles.iter().map(String::as_str))
                    .collect::<Vec<_>>()
                    .join(" "),
            )),
        ));
    }
    Ok(candidates)
}

/// The first candidate that allows the target as IAM read it, with the conditions of its
/// trust statement that the broker cannot evaluate (to be reported, not silently passed).
pub fn choose(
    rules: &[Rule],
    candidates: &[usize],
    target: &TargetRole,
) -> std::result::Result<(usize, Vec<Value>), (usize, Error)> {
    let mut failure: Option<(usize, String)> = None;
    for &i in candidates {
        let r = &rules[i];
        let role_ok = r
            .roles
            .iter()
            .any(|p| role_matches(p, &target.name, Some(&target.arn)).unwrap_or(false));
        if !role_ok {
            failure.get_or_insert((
                i,
                format!(
                    "{} is not one of its roles ({})",
                    target.arn,
                    r.roles.join(" ")
                ),
            ));
            continue;
        }
        if r.trusted_services.is_empty() {
            return Ok((i, Vec::new()));
        }
        match target
            .trust
            .as_ref()
            .and_then(|t| trusts_service(t, &r.trusted_services))
        {
            Some(conditions) => return Ok((i, conditions)),
            None => {
                let why = refusal(
                    target.trust.as_ref().unwrap_or(&Value::Null),
                    &r.trusted_services,
                );
                failure.get_or_insert((i, format!("the trust policy of {} {why}", target.name)));
            }
        }
    }
    let (i, why) = failure.unwrap_or((candidates[0], "no rule matched".to_string()));
    Err((
        i,
        Error::AccessDenied(format!("rule {i} does not allow it: {why}")),
    ))
}

/// The fidelity report's line for trust conditions the broker did not evaluate.
pub fn conditions_note(target: &str, conditions: &[Value]) -> String {
    if conditions.is_empty() {
        return String::new();
    }
    format!(
        "  trust: the statement that lets the service assume {target} has conditions the broker \
         did not evaluate (the service's request is not the broker's): {}\n",
        conditions
            .iter()
            .map(Value::to_string)
            .collect::<Vec<_>>()
            .join(" ")
    )
}
