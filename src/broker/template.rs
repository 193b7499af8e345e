//! `awsenv broker template`: the CloudFormation stack that deploys the broker. Least privilege:
//! the function's own role may only read roles and policies, write its log group, record proofs
//! in its replay table and assume the base role; only the base role holds power, only the
//! function may assume it, and an explicit Deny keeps that power (and every session made from
//! it) off the broker itself: its function, roles, table, log group and stack.

use serde_json::{json, Value};

use super::replay_table::{KEY, TTL_ATTRIBUTE, VARIABLE as REPLAY_VARIABLE};

/// Log retentions CloudWatch accepts.
const RETENTIONS: [u32; 22] = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
    3288, 3653,
];

pub fn template() -> Value {
    let arn = |resource: &str| json!({ "Fn::Sub": format!("arn:${{AWS::Partition}}:{resource}") });
    json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": "awsenv broker: hands out simulated role sessions to proven callers (awsenv simulate --remote)",
        "Parameters": {
            "FunctionName": {
                "Type": "String", "Default": "awsenv-broker",
                "AllowedPattern": "[A-Za-z0-9_-]{1,64}",
                "Description": "Name of the function (awsenv simulate --remote --broker NAME)"
            },
            "CodeBucket": {
                "Type": "String", "MinLength": 3,
                "Description": "S3 bucket holding the zip that scripts/build-broker made"
            },
            "CodeKey": {
                "Type": "String", "Default": "awsenv-broker.zip",
                "Description": "S3 key of that zip (bootstrap inside)"
            },
            "Architecture": {
                "Type": "String", "Default": "arm64", "AllowedValues": ["arm64", "x86_64"],
                "Description": "Architecture the zip was built for"
            },
            "InvokerPrincipal": {
                "Type": "String", "MinLength": 12,
                "Description": "Who may invoke the broker: an account id, or an IAM user or role ARN"
            },
            "Rules": {
                "Type": "String", "MinLength": 2,
                "Description": "The policy's rules, a JSON array, e.g. [{\"callers\":[\"arn:aws:iam::123456789012:user/*\"],\"roles\":[\"iam-sudo-demo*\"],\"trusted_services\":[\"ecs-tasks.amazonaws.com\"]}]"
            },
            "MaxDuration": {
                "Type": "String", "Default": "1h",
                "AllowedPattern": "[0-9]+[smh]?",
                "Description": "Longest session handed out (at most 1h: the broker's AssumeRole is role chaining)"
            },
            "BasePolicyArn": {
                "Type": "String", "Default": "arn:aws:iam::aws:policy/PowerUserAccess",
                "Description": "Managed policy of the base role: the most any simulated session can do"
            },
            "LogRetentionDays": {
                "Type": "Number", "Default": 30, "AllowedValues": RETENTIONS,
                "Description": "How long the broker's decision log is kept"
            },
            "ReservedConcurrency": {
                "Type": "Number", "Default": 10, "MinValue": 1, "MaxValue": 1000,
                "Description": "Most instances of the broker at once (its share of the account's concurrency, and a bound on what a flood of requests costs)"
            }
        },
        "Resources": {
            "LogGroup": {
                "Type": "AWS::Logs::LogGroup",
                // The decision log outlives the stack: an audit trail is not deleted with
                // what it audits, nor replaced by an update.
                "DeletionPolicy": "Retain",
                "UpdateReplacePolicy": "Retain",
                "Properties": {
                    "LogGroupName": { "Fn::Sub": "/aws/lambda/${FunctionName}" },
                    "RetentionInDays": { "Ref": "LogRetentionDays" }
                }
            },
            "ReplayTable": {
                "Type": "AWS::DynamoDB::Table",
                // Its items live minutes: nothing to keep when the stack goes.
                "DeletionPolicy": "Delete",
                "UpdateReplacePolicy": "Delete",
                "Properties": {
                    "BillingMode": "PAY_PER_REQUEST",
                    "AttributeDefinitions": [{ "AttributeName": KEY, "AttributeType": "S" }],
                    "KeySchema": [{ "AttributeName": KEY, "KeyType": "HASH" }],
                    "TimeToLiveSpecification": { "AttributeName": TTL_ATTRIBUTE, "Enabled": true },
                    "SSESpecification": { "SSEEnabled": true }
                }
            },
            "ExecutionRole": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "Description": "awsenv broker: reads target roles, writes its log, assumes the base role",
                    "AssumeRolePolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [{
                            "Effect": "Allow",
                            "Principal": { "Service": "lambda.amazonaws.com" },
                            "Action": "sts:AssumeRole"
                        }]
                    },
                    "Policies": [{
                        "PolicyName": "read-targets-and-log",
                        "PolicyDocument": {
                            "Version": "2012-10-17",
                            "Statement": [
                                {
                                    "Sid": "ReadTargetRoles",
                                    "Effect": "Allow",
                                    "Action": ["iam:GetRole", "iam:ListRolePolicies", "iam:GetRolePolicy", "iam:ListAttachedRolePolicies"],
                                    "Resource": arn("iam::${AWS::AccountId}:role/*")
                                },
                                {
                                    "Sid": "ReadManagedPolicies",
                                    "Effect": "Allow",
                                    "Action": ["iam:GetPolicy", "iam:GetPolicyVersion"],
                                    "Resource": [arn("iam::${AWS::AccountId}:policy/*"), arn("iam::aws:policy/*")]
                                },
                                {
                                    "Sid": "WriteDecisionLog",
                                    "Effect": "Allow",
                                    "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                                    "Resource": { "Fn::GetAtt": ["LogGroup", "Arn"] }
                                },
                                {
                                    "Sid": "RecordUsedProofs",
                                    "Effect": "Allow",
                                    "Action": ["dynamodb:PutItem"],
                                    "Resource": { "Fn::GetAtt": ["ReplayTable", "Arn"] }
                                }
                            ]
                        }
                    }]
                }
            },
            "BaseRole": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "Description": "awsenv broker: the power behind simulated sessions, assumable only by the broker",
                    "MaxSessionDuration": 3600,
                    "AssumeRolePolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [{
                            "Effect": "Allow",
                            "Principal": { "AWS": { "Fn::GetAtt": ["ExecutionRole", "Arn"] } },
                            "Action": ["sts:AssumeRole", "sts:SetSourceIdentity"]
                        }]
                    },
                    "ManagedPolicyArns": [{ "Ref": "BasePolicyArn" }]
                }
            },
            "GuardBroker": {
                "Type": "AWS::IAM::Policy",
                "Properties": {
                    "PolicyName": "never-change-the-broker",
                    "Roles": [{ "Ref": "BaseRole" }],
                    "PolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": guard(),
                    }
                }
            },
            "AssumeBase": {
                "Type": "AWS::IAM::Policy",
                "Properties": {
                    "PolicyName": "assume-base-role",
                    "Roles": [{ "Ref": "ExecutionRole" }],
                    "PolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [{
                            "Effect": "Allow",
                            "Action": ["sts:AssumeRole", "sts:SetSourceIdentity"],
                            "Resource": { "Fn::GetAtt": ["BaseRole", "Arn"] }
                        }]
                    }
                }
            },
            "Function": {
                "Type": "AWS::Lambda::Function",
                "DependsOn": ["LogGroup", "AssumeBase", "GuardBroker"],
                "Properties": {
                    "FunctionName": { "Ref": "FunctionName" },
                    "Description": "awsenv broker (awsenv simulate --remote)",
                    "Runtime": "provided.al2023",
                    "Handler": "bootstrap",
                    "Architectures": [{ "Ref": "Architecture" }],
                    "Code": { "S3Bucket": { "Ref": "CodeBucket" }, "S3Key": { "Ref": "CodeKey" } },
                    "Role": { "Fn::GetAtt": ["ExecutionRole", "Arn"] },
                    "MemorySize": 256,
                    "Timeout": 20,
                    "ReservedConcurrentExecutions": { "Ref": "ReservedConcurrency" },
                    "Environment": {
                        "Variables": {
                            REPLAY_VARIABLE: { "Ref": "ReplayTable" },
                            "AWSENV_BROKER_POLICY": {
                                "Fn::Sub": "{\"base_role\":\"${BaseRole.Arn}\",\"max_duration\":\"${MaxDuration}\",\"rules\":${Rules}}"
                            },
                            "AWSENV_TIMEOUT": "5"
                        }
                    }
                }
            },
            "InvokePermission": {
                "Type": "AWS::Lambda::Permission",
                "Properties": {
                    "Action": "lambda:InvokeFunction",
                    "FunctionName": { "Fn::GetAtt": ["Function", "Arn"] },
                    "Principal": { "Ref": "InvokerPrincipal" }
                }
            }
        },
        "Outputs": {
            "FunctionArn": { "Value": { "Fn::GetAtt": ["Function", "Arn"] } },
            "BaseRoleArn": { "Value": { "Fn::GetAtt": ["BaseRole", "Arn"] } },
            "ExecutionRoleArn": { "Value": { "Fn::GetAtt": ["ExecutionRole", "Arn"] } },
            "ReplayTableName": { "Value": { "Ref": "ReplayTable" } }
        }
    })
}

/// The base role's explicit Deny: it (and so every simulated session, whatever the target's
/// policies say) may not change the broker's function or its policy variable, its roles, its
/// replay table (deleting an item would allow a replay), its log group (or write into it) and
/// its stack, nor pass its roles to another function or service (which could then assume the
/// base role without any session policy). A Deny wins over any Allow of BasePolicyArn.
fn guard() -> Value {
    let sub = |s: &str| json!({ "Fn::Sub": s });
    let function =
        "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${FunctionName}";
    let log_group = "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/${FunctionName}";
    json!([
        {
            "Sid": "NeverChangeTheFunction",
            "Effect": "Deny",
            "Action": ["lambda:Add*", "lambda:Create*", "lambda:Delete*", "lambda:Publish*",
                "lambda:Put*", "lambda:Remove*", "lambda:TagResource", "lambda:UntagResource",
                "lambda:Update*"],
            "Resource": [sub(function), sub(&format!("{function}:*"))]
        },
        {
            "Sid": "NeverChangeTheRoles",
            "Effect": "Deny",
            "Action": ["iam:Attach*", "iam:Delete*", "iam:Detach*", "iam:PassRole", "iam:Put*",
                "iam:Tag*", "iam:Untag*", "iam:Update*"],
            "Resource": [
                { "Fn::GetAtt": ["ExecutionRole", "Arn"] },
                { "Fn::GetAtt": ["BaseRole", "Arn"] }
            ]
        },
        {
            "Sid": "NeverTouchTheReplayTable",
            "Effect": "Deny",
            "Action": "dynamodb:*",
            "Resource": [
                { "Fn::GetAtt": ["ReplayTable", "Arn"] },
                sub("${ReplayTable.Arn}/*")
            ]
        },
        {
            "Sid": "NeverChangeTheDecisionLog",
            "Effect": "Deny",
            "Action": ["logs:Associate*", "logs:Create*", "logs:Delete*", "logs:Disassociate*",
                "logs:Put*", "logs:Tag*", "logs:Untag*"],
            "Resource": [sub(log_group), sub(&format!("{log_group}:*"))]
        },
        {
            "Sid": "NeverChangeTheStack",
            "Effect": "Deny",
            "Action": ["cloudformation:Cancel*", "cloudformation:ContinueUpdateRollback",
                "cloudformation:Create*", "cloudformation:Delete*", "cloudformation:Execute*",
                "cloudformation:RollbackStack", "cloudformation:Set*",
                "cloudformation:SignalResource", "cloudformation:Update*"],
            "Resource": { "Ref": "AWS::StackId" }
        }
    ])
}

pub fn render() -> String {
    format!(
        "{}\n",
        serde_json::to_string_pretty(&template()).unwrap_or_default()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn least_privilege_and_no_cycles() {
        let t = template();
        let exec = t["Resources"]["ExecutionRole"].to_string();
        assert!(
            !exec.contains("BaseRole"),
            "the base role's ARN is granted separately (a cycle)"
        );
        assert!(
            !exec.contains("\"*\""),
            "no wildcard action or resource: {exec}"
        );
        let f = &t["Resources"]["Function"]["Properties"];
        assert_eq!(f["Runtime"], "provided.al2023");
        assert_eq!(f["Handler"], "bootstrap");
        // The environment's policy parses once CloudFormation has substituted it.
        let sub = f["Environment"]["Variables"]["AWSENV_BROKER_POLICY"]["Fn::Sub"]
            .as_str()
            .unwrap()
            .replace("${BaseRole.Arn}", "arn:aws:iam::123456789012:role/b")
            .replace("${MaxDuration}", "1h")
            .replace(
                "${Rules}",
                r#"[{"callers":["arn:aws:iam::123456789012:user/*"],"roles":["x"]}]"#,
            );
        crate::broker::policy::BrokerPolicy::parse(&sub).unwrap();
    }

    #[test]
    fn the_stack_guards_the_broker() {
        let t = template();
        let r = &t["Resources"];
        for key in ["DeletionPolicy", "UpdateReplacePolicy"] {
            assert_eq!(r["LogGroup"][key], "Retain", "{key}");
        }
        let table = &r["ReplayTable"]["Properties"];
        assert_eq!(table["BillingMode"], "PAY_PER_REQUEST");
        assert_eq!(table["KeySchema"][0]["AttributeName"], "pk");
        assert_eq!(table["AttributeDefinitions"][0]["AttributeType"], "S");
        assert_eq!(
            table["TimeToLiveSpecification"],
            json!({"AttributeName": TTL_ATTRIBUTE, "Enabled": true})
        );
        let f = &r["Function"]["Properties"];
        assert_eq!(
            f["Environment"]["Variables"][REPLAY_VARIABLE],
            json!({"Ref": "ReplayTable"})
        );
        assert_eq!(
            f["ReservedConcurrentExecutions"],
            json!({"Ref": "ReservedConcurrency"})
        );
        // Every statement of the guard is a Deny, and each of the broker's resources is named.
        let guard = &r["GuardBroker"]["Properties"];
        assert_eq!(guard["Roles"], json!([{"Ref": "BaseRole"}]));
        let statements = guard["PolicyDocument"]["Statement"].as_array().unwrap();
        assert!(statements.iter().all(|s| s["Effect"] == "Deny"));
        let text = guard.to_string();
        for named in [
            ":function:${FunctionName}",
            "\"ExecutionRole\",\"Arn\"",
            "\"BaseRole\",\"Arn\"",
            "\"ReplayTable\",\"Arn\"",
            "log-group:/aws/lambda/${FunctionName}",
            "AWS::StackId",
            "iam:PassRole",
        ] {
            assert!(text.contains(named), "{named}: {text}");
        }
    }
}
