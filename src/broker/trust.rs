//! Which services a role's trust policy lets assume it, for the rules that name
//! `trusted_services` ("roles that service can assume"). An explicit Deny wins over any Allow,
//! as in IAM; what the broker cannot weigh (a NotPrincipal, a condition on a Deny) it reads
//! the way that trusts less.

use serde_json::Value;

use super::policy::glob;

/// The statements of a trust policy (one object or an array of them).
fn statements(trust: &Value) -> Option<Vec<&Value>> {
    match trust.get("Statement") {
        Some(Value::Array(a)) => Some(a.iter().collect()),
        Some(v @ Value::Object(_)) => Some(vec![v]),
        _ => None,
    }
}

/// A string or an array of strings; `None` for any other shape.
fn strings(v: &Value) -> Option<Vec<&str>> {
    match v {
        Value::String(s) => Some(vec![s.as_str()]),
        Value::Array(a) => a.iter().map(Value::as_str).collect(),
        _ => None,
    }
}

fn effect(st: &Value, which: &str) -> bool {
    st.get("Effect").and_then(Value::as_str) == Some(which)
}

/// Does an action pattern cover sts:AssumeRole? IAM matches actions case-insensitively, with
/// `*` and `?` wildcards.
fn covers_assume_role(pattern: &str) -> bool {
    glob(&pattern.to_ascii_lowercase(), "sts:assumerole")
}

/// Does an Allow statement grant `service` sts:AssumeRole? Only a Principal naming the service
/// and an Action covering sts:AssumeRole count: a NotPrincipal or a NotAction grants nothing
/// the broker will rely on.
fn allows(st: &Value, service: &str) -> bool {
    if !effect(st, "Allow") || st.get("NotPrincipal").is_some() || st.get("NotAction").is_some() {
        return false;
    }
    let assumes = st
        .get("Action")
        .and_then(strings)
        .is_some_and(|a| a.iter().any(|p| covers_assume_role(p)));
    let named = st
        .get("Principal")
        .and_then(|p| p.get("Service"))
        .and_then(strings)
        .is_some_and(|s| s.contains(&service));
    assumes && named
}

/// Does a Deny statement take sts:AssumeRole away from `service`? Read the way that trusts
/// less: its conditions are not weighed (it applies), a shape the broker does not know
/// applies, and a NotPrincipal spares only a service it names.
fn denies(st: &Value, service: &str) -> bool {
    if !effect(st, "Deny") {
        return false;
    }
    let action = st.get("Action").map(|a| match strings(a) {
        Some(list) => list.iter().any(|p| covers_assume_role(p)),
        None => true,
    });
    let not_action = st.get("NotAction").map(|a| match strings(a) {
        Some(list) => !list.iter().any(|p| covers_assume_role(p)),
        None => true,
    });
    let covered = match (action, not_action) {
        (None, None) => true,
        (a, n) => a == Some(true) || n == Some(true),
    };
    if !covered {
        return false;
    }
    let names = |v: Option<&Value>, what: &str| {
        v.map(|v| match strings(v) {
            Some(list) => list
                .iter()
                .any(|p| *p == "*" || p.eq_ignore_ascii_case(what)),
            None => true,
        })
        .unwrap_or(false)
    };
    if let Some(np) = st.get("NotPrincipal") {
        let spared = np
            .get("Service")
            .and_then(strings)
            .is_some_and(|s| s.iter().any(|p| p.eq_ignore_ascii_case(service)));
        return !spared;
    }
    match st.get("Principal") {
        Some(Value::Object(p)) => {
            names(p.get("Service"), service)
                || p.get("AWS")
                    .is_some_and(|v| strings(v).is_none_or(|l| l.contains(&"*")))
        }
        Some(Value::String(p)) => p == "*",
        _ => true,
    }
}

/// The index of the first Deny statement that takes sts:AssumeRole away from `service`.
fn denied_by(statements: &[&Value], service: &str) -> Option<usize> {
    statements.iter().position(|st| denies(st, service))
}

/// Does `trust` let one of `services` assume the role: an Allow statement grants it
/// sts:AssumeRole and no Deny statement takes it away? `Some` with the conditions of those
/// Allow statements, which the broker cannot evaluate (a service's request context is not the
/// broker's): empty when one of them has none.
pub fn trusts_service(trust: &Value, services: &[String]) -> Option<Vec<Value>> {
    let statements = statements(trust)?;
    let trusted: Vec<&str> = services
        .iter()
        .map(String::as_str)
        .filter(|s| denied_by(&statements, s).is_none())
        .collect();
    let matching: Vec<&&Value> = statements
        .iter()
        .filter(|st| trusted.iter().any(|s| allows(st, s)))
        .collect();
    if matching.is_empty() {
        return None;
    }
    let conditions: Vec<Value> = matching
        .iter()
        .map(|st| st.get("Condition").cloned())
        .collect::<Option<Vec<_>>>()
        .unwrap_or_default();
    Some(conditions)
}

/// The services a trust policy's Allow statements name, for a refusal's message.
pub fn trusted_services_of(trust: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for st in statements(trust).unwrap_or_default() {
        if !effect(st, "Allow") {
            continue;
        }
        if let Some(list) = st
            .get("Principal")
            .and_then(|p| p.get("Service"))
            .and_then(strings)
        {
            out.extend(list.iter().map(|s| s.to_string()));
        }
    }
    out
}

/// Why `trusts_service` said no, after "the trust policy of ROLE".
pub fn refusal(trust: &Value, services: &[String]) -> String {
    let statements = statements(trust).unwrap_or_default();
    for s in services {
        if !statements.iter().any(|st| allows(st, s)) {
            continue;
        }
        if let Some(i) = denied_by(&statements, s) {
            let sid = statements[i]
                .get("Sid")
                .and_then(Value::as_str)
                .map(|sid| format!("Sid {}, ", sid.escape_debug()))
                .unwrap_or_default();
            return format!(
                "denies {s}: statement {i} denies it sts:AssumeRole ({sid}counting from 0), \
                 and an explicit Deny wins over any Allow (the broker does not weigh a Deny's \
                 conditions, and a NotPrincipal spares only a service it names)"
            );
        }
    }
    let has = trusted_services_of(trust);
    format!(
        "has no Allow statement for {} (it trusts the services: {})",
        services.join(" or "),
        if has.is_empty() {
            "none".to_string()
        } else {
            has.join(", ")
        }
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn trust_looks_at_every_statement() {
        let services = vec!["ecs-tasks.amazonaws.com".to_string()];
        let second = json!({"Statement":[
            {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::1:root"},"Action":"sts:AssumeRole"},
            {"Effect":"Allow","Principal":{"Service":["lambda.amazonaws.com","ecs-tasks.amazonaws.com"]},"Action":["sts:AssumeRole"]}]});
        assert_eq!(trusts_service(&second, &services), Some(vec![]));
        let single = json!({"Statement":{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}});
        assert_eq!(trusts_service(&single, &services), Some(vec![]));
        let deny = json!({"Statement":[{"Effect":"Deny","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]});
        assert!(trusts_service(&deny, &services).is_none());
        let other = json!({"Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]});
        assert!(trusts_service(&other, &services).is_none());
        assert_eq!(trusted_services_of(&other), ["lambda.amazonaws.com"]);
        let tag_only = json!({"Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:TagSession"}]});
        assert!(trusts_service(&tag_only, &services).is_none());
        // Conditions are handed back to be reported, unless another statement needs none.
        let cond = json!({"StringEquals":{"aws:SourceAccount":"123456789012"}});
        let conditional = json!({"Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole","Condition":cond}]});
        assert_eq!(
            trusts_service(&conditional, &services),
            Some(vec![cond.clone()])
        );
        let mut both = conditional.clone();
        both["Statement"]
            .as_array_mut()
            .unwrap()
            .push(single["Statement"].clone());
        assert_eq!(trusts_service(&both, &services), Some(vec![]));
    }

    const ECS: &str = "ecs-tasks.amazonaws.com";

    fn allow_ecs() -> Value {
        json!({"Effect":"Allow","Principal":{"Service":ECS},"Action":"sts:AssumeRole"})
    }

    fn with(statements: &[Value]) -> Value {
        json!({"Version":"2012-10-17","Statement":statements})
    }

    fn trusted(trust: &Value) -> bool {
        trusts_service(trust, &[ECS.to_string()]).is_some()
    }

    /// An explicit Deny of the service wins over the Allow, in every spelling of "the
    /// service" and of "sts:AssumeRole" that IAM reads as covering it.
    #[test]
    fn a_deny_of_the_service_wins() {
        assert!(trusted(&with(&[allow_ecs()])));
        let denies = [
            json!({"Effect":"Deny","Principal":{"Service":ECS},"Action":"sts:AssumeRole"}),
            json!({"Effect":"Deny","Principal":{"Service":[ECS]},"Action":["sts:AssumeRole"]}),
            json!({"Effect":"Deny","Principal":{"Service":ECS},"Action":"sts:*"}),
            json!({"Effect":"Deny","Principal":{"Service":ECS},"Action":"*"}),
            json!({"Effect":"Deny","Principal":{"Service":ECS},"Action":"sts:Assume*"}),
            json!({"Effect":"Deny","Principal":{"Service":ECS},"Action":"STS:assumerole"}),
            json!({"Effect":"Deny","Principal":"*","Action":"sts:AssumeRole"}),
            json!({"Effect":"Deny","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}),
            json!({"Effect":"Deny","Principal":{"AWS":["*"]},"Action":"sts:AssumeRole"}),
            // NotAction that leaves sts:AssumeRole in.
            json!({"Effect":"Deny","Principal":{"Service":ECS},"NotAction":"sts:TagSession"}),
            json!({"Effect":"Deny","Principal":"*","NotAction":["iam:*","sts:SetSourceIdentity"]}),
            // A condition the broker cannot evaluate does not make a Deny go away.
            json!({"Effect":"Deny","Principal":{"Service":ECS},"Action":"sts:AssumeRole",
                   "Condition":{"StringNotEquals":{"aws:SourceAccount":"123456789012"}}}),
        ];
        for deny in denies {
            for order in [[allow_ecs(), deny.clone()], [deny.clone(), allow_ecs()]] {
                assert!(!trusted(&with(&order)), "trusted despite {deny}");
            }
        }
    }

    /// Denies that do not cover the service, or not sts:AssumeRole, leave the Allow standing.
    #[test]
    fn a_deny_of_something_else_does_not() {
        let others = [
            json!({"Effect":"Deny","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}),
            json!({"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}),
            json!({"Effect":"Deny","Principal":{"Service":ECS},"Action":"sts:TagSession"}),
            json!({"Effect":"Deny","Principal":"*","Action":"sts:AssumeRoleWithWebIdentity"}),
            json!({"Effect":"Deny","Principal":"*","NotAction":"sts:AssumeRole"}),
            json!({"Effect":"Deny","Principal":"*","NotAction":["sts:Assume*"]}),
            json!({"Effect":"Deny","NotPrincipal":{"Service":ECS},"Action":"sts:AssumeRole"}),
            json!({"Effect":"Deny","NotPrincipal":{"Service":[ECS,"lambda.amazonaws.com"]},"Action":"*"}),
        ];
        for deny in others {
            assert!(
                trusted(&with(&[allow_ecs(), deny.clone()])),
                "refused for {deny}"
            );
        }
    }

    /// NotPrincipal is read the way that trusts less: a Deny that does not leave the service
    /// out denies it, and an Allow with NotPrincipal does not name it.
    #[test]
    fn not_principal_is_read_conservatively() {
        let deny = json!({"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::123456789012:root"},
                          "Action":"sts:AssumeRole"});
        assert!(!trusted(&with(&[allow_ecs(), deny])));
        let deny = json!({"Effect":"Deny","NotPrincipal":{"Service":"lambda.amazonaws.com"},
                          "Action":"sts:AssumeRole"});
        assert!(!trusted(&with(&[allow_ecs(), deny])));
        let allow = json!({"Effect":"Allow","NotPrincipal":{"Service":"lambda.amazonaws.com"},
                           "Action":"sts:AssumeRole"});
        assert!(!trusted(&with(&[allow])));
        // An Allow that says both Principal and NotPrincipal (IAM refuses it) names nobody.
        let both = json!({"Effect":"Allow","Principal":{"Service":ECS},
                          "NotPrincipal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"});
        assert!(!trusted(&with(&[both])));
    }

    /// An Allow with NotAction is not read as granting sts:AssumeRole; a glob that covers it
    /// is.
    #[test]
    fn what_an_allow_grants() {
        let not_action =
            json!({"Effect":"Allow","Principal":{"Service":ECS},"NotAction":"sts:TagSession"});
        assert!(!trusted(&with(&[not_action])));
        let glob = json!({"Effect":"Allow","Principal":{"Service":ECS},"Action":"sts:Assume*"});
        assert!(trusted(&with(&[glob])));
        let web =
            json!({"Effect":"Allow","Principal":{"Service":ECS},"Action":"sts:AssumeRoleWith*"});
        assert!(!trusted(&with(&[web])));
    }

    /// A refusal names the Deny that took the service away.
    #[test]
    fn a_refusal_says_why() {
        let services = [ECS.to_string()];
        let deny = json!({"Effect":"Deny","Principal":"*","Action":"sts:AssumeRole"});
        let why = refusal(&with(&[allow_ecs(), deny]), &services);
        assert!(why.contains("statement 1 denies"), "{why}");
        let why = refusal(&with(&[]), &services);
        assert!(why.contains("has no Allow statement for"), "{why}");
    }
}
