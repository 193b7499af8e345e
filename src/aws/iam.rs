//! IAM reads for `simulate`: the target role and its policies, all pages, concurrently.

use aws_sdk_iam::error::{ProvideErrorMetadata, SdkError};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use futures_util::future::try_join_all;
use serde_json::Value;

use crate::aws::errors::sdk_error;
use crate::error::{Error, Result};
use crate::log;
use crate::policy::{decode_document, Managed};

/// What simulate needs to know about the role it acts as.
#[derive(Debug, Clone)]
pub struct TargetRole {
    pub arn: String,
    pub name: String,
    pub permissions_boundary: Option<String>,
    /// Who may assume it (the broker checks its service principals).
    pub trust: Option<Value>,
    /// (policy name, document), in IAM's order.
    pub inline: Vec<(String, Value)>,
    pub managed: Vec<Managed>,
}

/// The permissions a simulation reads with, named in errors.
pub const READ_ACTIONS: &str = "iam:GetRole, iam:ListRolePolicies, iam:GetRolePolicy and \
     iam:ListAttachedRolePolicies (plus iam:GetPolicy and iam:GetPolicyVersion when managed \
     policies must be inlined)";

fn iam_error<E>(action: &str, target: &str, err: SdkError<E, HttpResponse>) -> Error
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    match sdk_error(action, target, err) {
        Error::AccessDenied(msg) => Error::AccessDenied(format!(
            "your credentials may not read the target role: {action} on {target} was denied \
             ({}).\nSimulating a role needs {READ_ACTIONS}; iam:{} is missing.",
            msg.lines().next().unwrap_or_default(),
            action.trim_start_matches("iam:")
        )),
        Error::NotFound(_) => Error::NotFound(format!(
            "{target} does not exist in the account of your credentials ({action} found no \
             such entity). Role names are exact and case-sensitive; check --role-name."
        )),
        other => other,
    }
}

pub async fn read_target(iam: &aws_sdk_iam::Client, name: &str) -> Result<TargetRole> {
    let (role, inline_names, attached) = tokio::join!(
        iam.get_role().role_name(name).send(),
        iam.list_role_policies()
            .role_name(name)
            .into_paginator()
            .items()
            .send()
            .collect::<Result<Vec<_>, _>>(),
        iam.list_attached_role_policies()
            .role_name(name)
            .into_paginator()
            .items()
            .send()
            .collect::<Result<Vec<_>, _>>(),
    );
    let role = role.map_err(|e| iam_error("iam:GetRole", name, e))?;
    let role = role
        .role()
        .ok_or_else(|| Error::Rejected("IAM answered GetRole without a role".to_string()))?;
    let inline_names = inline_names.map_err(|e| iam_error("iam:ListRolePolicies", name, e))?;
    let attached = attached.map_err(|e| iam_error("iam:ListAttachedRolePolicies", name, e))?;
    log::debug(format_args!(
        "{name}: {} inline, {} attached policies",
        inline_names.len(),
        attached.len()
    ));
    let inline = try_join_all(inline_names.iter().map(|p| async move {
        let out = iam
            .get_role_policy()
            .role_name(name)
            .policy_name(p)
            .send()
            .await
            .map_err(|e| iam_error("iam:GetRolePolicy", name, e))?;
        Ok::<_, Error>((p.clone(), decode_document(out.policy_document())?))
    }))
    .await?;
    Ok(TargetRole {
        arn: role.arn().to_string(),
        name: role.role_name().to_string(),
        permissions_boundary: role
            .permissions_boundary()
            .and_then(|b| b.permissions_boundary_arn())
            .map(str::to_string),
        trust: role
            .assume_role_policy_document()
            .map(decode_document)
            .transpose()?,
        inline,
        managed: attached
            .iter()
            .filter_map(|a| a.policy_arn())
            .map(|arn| Managed {
                arn: arn.to_string(),
                document: None,
            })
            .collect(),
    })
}

/// Fetches the default version's document of each policy in `which`, concurrently.
pub async fn fetch_documents(
    iam: &aws_sdk_iam::Client,
    managed: &mut [Managed],
    which: &[usize],
) -> Result<()> {
    let docs = try_join_all(which.iter().map(|&i| {
        let arn = managed[i].arn.clone();
        async move {
            let p = iam
                .get_policy()
                .policy_arn(&arn)
                .send()
                .await
                .map_err(|e| iam_error("iam:GetPolicy", &arn, e))?;
            let version = p
                .policy()
                .and_then(|p| p.default_version_id())
                .unwrap_or("v1")
                .to_string();
            let v = iam
                .get_policy_version()
                .policy_arn(&arn)
                .version_id(version)
                .send()
                .await
                .map_err(|e| iam_error("iam:GetPolicyVersion", &arn, e))?;
            let doc = v
                .policy_version()
                .and_then(|v| v.document())
                .ok_or_else(|| Error::Rejected(format!("{arn} has no document")))?;
            Ok::<_, Error>((i, decode_document(doc)?))
        }
    }))
    .await?;
    for (i, doc) in docs {
        managed[i].document = Some(doc);
    }
    Ok(())
}
