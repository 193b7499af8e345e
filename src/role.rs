//! Role references as users type them, parsed before any network call.

use std::fmt;

use crate::error::{Error, Result};

pub const ACCEPTED_FORMS: &str = "\
Accepted forms:
  arn:aws:iam::123456789012:role/NAME          a role ARN (any partition: aws, aws-cn, aws-us-gov, ...)
  arn:aws:iam::123456789012:role/path/NAME     a role ARN with a path
  \"arn:aws:iam::123456789012:role/NAME\"        the same in double quotes, as `terraform output` prints it
  123456789012:NAME                            account id and role name
  NAME                                         a role in your own account (found with GetCallerIdentity)";

/// A fully qualified role ARN.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RoleArn {
    pub partition: String,
    pub account: String,
    /// `/` or `/a/b/`, as IAM stores it.
    pub path: String,
    pub name: String,
}

impl RoleArn {
    pub fn new(partition: &str, account: &str, name: &str) -> RoleArn {
        RoleArn {
            partition: partition.to_string(),
            account: account.to_string(),
            path: "/".to_string(),
            name: name.to_string(),
        }
    }

    pub fn parse(arn: &str) -> Option<RoleArn> {
        let rest = arn.strip_prefix("arn:")?;
        let (partition, rest) = rest.split_once(':')?;
        let rest = rest.strip_prefix("iam::")?;
        let (account, resource) = rest.split_once(':')?;
        let resource = resource.strip_prefix("role/")?;
        if !valid_partition(partition) || !valid_account(account) {
            return None;
        }
        let (path, name) = match resource.rfind('/') {
            Some(i) => (format!("/{}", &resource[..=i]), &resource[i + 1..]),
            None => ("/".to_string(), resource),
        };
        if !valid_role_name(name) || !valid_path(&path) {
            return None;
        }
        Some(RoleArn {
            partition: partition.to_string(),
            account: account.to_string(),
            path,
            name: name.to_string(),
        })
    }
}

impl fmt::Display for RoleArn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "arn:{}:iam::{}:role{}{}",
            self.partition, self.account, self.path, self.name
        )
    }
}

/// What the user named: complete, or to be completed with the caller's account.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RoleRef {
    Arn(RoleArn),
    /// `ACCOUNT:NAME`; the partition comes from the region.
    InAccount {
        account: String,
        name: String,
    },
    /// A bare name in the caller's own account and partition.
    Name(String),
}

impl RoleRef {
    pub fn parse(input: &str) -> Result<RoleRef> {
        let trimmed = input.trim();
        let unquoted = trimmed
            .strip_prefix('"')
            .and_then(|s| s.strip_suffix('"'))
            .unwrap_or(trimmed);
        let parsed = if unquoted.starts_with("arn:") {
            RoleArn::parse(unquoted).map(RoleRef::Arn)
        } else if let Some((account, name)) = unquoted.split_once(':') {
            (valid_account(account) && valid_role_name(name)).then(|| RoleRef::InAccount {
                account: account.to_string(),
                name: name.to_string(),
            })
        } else {
            valid_role_name(unquoted).then(|| RoleRef::Name(unquoted.to_string()))
        };
        parsed.ok_or_else(|| {
            Error::Usage(format!(
                "`{}` is not a role awsenv understands.\n{ACCEPTED_FORMS}",
                input.escape_debug()
            ))
        })
    }

    /// The role's name, whatever the form.
    pub fn name(&self) -> &str {
        match self {
            RoleRef::Arn(a) => &a.name,
            RoleRef::InAccount { name, .. } | RoleRef::Name(name) => name,
        }
    }
}

/// Region name prefixes of the partitions other than `aws`, as the SDKs' partitions.json
/// lists them.
const PARTITIONS: [(&str, &str); 7] = [
    ("cn-", "aws-cn"),
    ("us-gov-", "aws-us-gov"),
    ("us-iso-", "aws-iso"),
    ("us-isob-", "aws-iso-b"),
    ("eu-isoe-", "aws-iso-e"),
    ("us-isof-", "aws-iso-f"),
    ("eusc-", "aws-eusc"),
];

/// The partition a region belongs to; used for `ACCOUNT:NAME` so that no call is needed.
pub fn partition_for_region(region: &str) -> &'static str {
    PARTITIONS
        .iter()
        .find(|(prefix, _)| region.starts_with(prefix))
        .map_or("aws", |(_, partition)| partition)
}

fn valid_partition(p: &str) -> bool {
    p.strip_prefix("aws").is_some_and(|rest| {
        rest.is_empty()
            || (rest.starts_with('-')
                && rest[1..]
                    .split('-')
                    .all(|seg| !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_lowercase())))
    })
}

fn valid_account(a: &str) -> bool {
    a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit())
}

/// IAM's rule for role names: 1 to 64 of `[\w+=,.@-]`.
pub fn valid_role_name(n: &str) -> bool {
    (1..=64).contains(&n.len()) && n.bytes().all(is_iam_name_byte)
}

pub fn is_iam_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"_+=,.@-".contains(&b)
}

/// IAM's rule for paths: `/`, or `/` + printable ASCII + `/`, at most 512 characters.
fn valid_path(p: &str) -> bool {
    p.len() <= 512
        && p.starts_with('/')
        && p.ends_with('/')
        && !p.contains("//")
        && p.bytes().all(|b| (0x21..=0x7e).contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arn(s: &str) -> RoleArn {
        match RoleRef::parse(s).unwrap() {
            RoleRef::Arn(a) => a,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn arns_in_every_partition() {
        for p in ["aws", "aws-cn", "aws-us-gov", "aws-iso-b"] {
            let s = format!("arn:{p}:iam::123456789012:role/Target");
            let a = arn(&s);
            assert_eq!(a.partition, p);
            assert_eq!(a.to_string(), s);
        }
    }

    #[test]
    fn arn_with_path_round_trips() {
        let a = arn("arn:aws:iam::123456789012:role/app/team/Target");
        assert_eq!(a.path, "/app/team/");
        assert_eq!(a.name, "Target");
        assert_eq!(
            a.to_string(),
            "arn:aws:iam::123456789012:role/app/team/Target"
        );
    }

    #[test]
    fn terraform_quotes_are_removed_once() {
        let a = arn("\"arn:aws:iam::123456789012:role/Target\"");
        assert_eq!(a.name, "Target");
        assert!(RoleRef::parse("\"\"arn:aws:iam::123456789012:role/T\"\"").is_err());
        assert!(RoleRef::parse("\"arn:aws:iam::123456789012:role/T").is_err());
    }

    #[test]
    fn shorthand_forms() {
        assert_eq!(
            RoleRef::parse("123456789012:deploy").unwrap(),
            RoleRef::InAccount {
                account: "123456789012".into(),
                name: "deploy".into()
            }
        );
        assert_eq!(
            RoleRef::parse("my.role+x=y,z@w-1_").unwrap(),
            RoleRef::Name("my.role+x=y,z@w-1_".into())
        );
    }

    #[test]
    fn rejects_everything_else() {
        for bad in [
            "",
            "\"\"",
            "arn:aws:iam::123:role/T",
            "arn:aws:iam::123456789012:user/T",
            "arn:aws:sts::123456789012:assumed-role/T/s",
            "arn:aws:iam::123456789012:role/",
            "arn:AWS:iam::123456789012:role/T",
            "arn:aws-:iam::123456789012:role/T",
            "arn:aws:iam::123456789012:role//T",
            "arn:aws:iam::123456789012:role/a b/T",
            "12345678901:T",
            "123456789012:",
            "role name",
            "x;rm -rf ~",
            "$(id)",
            "`id`",
            &"a".repeat(65),
            "caf\u{e9}",
        ] {
            let err = RoleRef::parse(bad).unwrap_err();
            assert!(err.to_string().contains("Accepted forms"), "{bad}");
            assert_eq!(err.exit_code(), 2);
        }
    }

    #[test]
    fn partitions_from_regions() {
        assert_eq!(partition_for_region("cn-north-1"), "aws-cn");
        assert_eq!(partition_for_region("us-gov-west-1"), "aws-us-gov");
        assert_eq!(partition_for_region("eu-west-1"), "aws");
        assert_eq!(partition_for_region("us-iso-east-1"), "aws-iso");
        assert_eq!(partition_for_region("us-isob-east-1"), "aws-iso-b");
        assert_eq!(partition_for_region("eu-isoe-west-1"), "aws-iso-e");
        assert_eq!(partition_for_region("us-isof-south-1"), "aws-iso-f");
        assert_eq!(partition_for_region("us-isof-east-1"), "aws-iso-f");
        assert_eq!(partition_for_region("eusc-de-east-1"), "aws-eusc");
        // The ARN built from `ACCOUNT:NAME` in such a region is one the parser accepts.
        for region in ["eu-isoe-west-1", "us-isof-south-1", "eusc-de-east-1"] {
            let arn = RoleArn::new(partition_for_region(region), "123456789012", "T");
            assert_eq!(RoleArn::parse(&arn.to_string()), Some(arn));
        }
    }
}
