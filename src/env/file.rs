//! The role's variables as data for other programs: a dotenv file, a `docker --env-file` file,
//! or a JSON object (`--format`). Unlike shell code these cannot unset anything or save the
//! previous environment: they hold only what a process needs to act as the role.
//!
//! Readers differ, so each format writes only what its readers take back exactly, and refuses
//! a value it cannot represent rather than writing one that reads back different.

use std::path::Path;

use crate::creds::RoleSession;
use crate::env::change::{self, EnvSink, SavedPlan};
use crate::env::vars::Snapshot;
use crate::error::{Error, Result};
use crate::shell::script::VarName;
use crate::store::fs::write_private_atomic;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// Shell code for eval (the default)
    #[default]
    Shell,
    /// KEY='value' lines for python-dotenv, docker compose's env_file and other dotenv readers
    Dotenv,
    /// KEY=value lines, taken literally by `docker run --env-file` (no newlines possible)
    Docker,
    /// A flat JSON object of the variables
    Json,
}

/// The variables `activate` sets, in its order; removals only undo an earlier set.
#[derive(Default)]
struct Collect(Vec<(String, String)>);

impl EnvSink for Collect {
    fn set(&mut self, name: &str, value: &str, _secret: bool) -> Result<()> {
        VarName::new(name)?;
        self.0.retain(|(n, _)| n != name);
        self.0.push((name.to_string(), value.to_string()));
        Ok(())
    }

    fn remove<'a>(&mut self, names: impl IntoIterator<Item = &'a str>) -> Result<()> {
        for name in names {
            self.0.retain(|(n, _)| n != name);
        }
        Ok(())
    }

    /// A file keeps nothing for later: there is no restoring from it.
    fn hold(&mut self, _names: &[&str]) -> Result<()> {
        Ok(())
    }
}

/// What a process needs to act as the role: the credentials, their expiry, the region (the
/// session's, else the one in the environment before any role) and awsenv's markers.
pub fn variables(act: &RoleSession, originals: &Snapshot) -> Result<Vec<(String, String)>> {
    let mut c = Collect::default();
    change::activate(&mut c, act, SavedPlan::Keep(originals))?;
    Ok(c.0)
}

pub fn render(format: Format, vars: &[(String, String)]) -> Result<String> {
    match format {
        Format::Shell => Err(Error::usage("shell code is written by the shell's script")),
        Format::Json => {
            let map: serde_json::Map<String, serde_json::Value> = vars
                .iter()
                .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
                .collect();
            Ok(format!("{}\n", serde_json::Value::Object(map)))
        }
        Format::Dotenv => vars
            .iter()
            .map(|(k, v)| Ok(format!("{k}={}\n", dotenv_quote(k, v)?)))
            .collect(),
        Format::Docker => vars
            .iter()
            .map(|(k, v)| Ok(format!("{k}={}\n", docker_value(k, v)?)))
            .collect(),
    }
}

/// Single quotes when nothing inside needs an escape; else double quotes with `\\`, `\"`,
/// `\n`, `\r`, which python-dotenv and compose decode alike. `${` is refused: python-dotenv
/// expands it in every kind of value and has no escape for it; a `$` inside double quotes
/// also, because compose expands `$NAME` there.
fn dotenv_quote(name: &str, value: &str) -> Result<String> {
    let refuse = |why: &str| {
        Err(Error::usage(format!(
            "{name}'s value {why}, which dotenv readers do not all read back the same way; \
             use --format json (or --format shell)"
        )))
    };
    if value.contains("${") {
        return refuse("contains `${`");
    }
    if !value.contains(['\'', '\\', '\n', '\r']) {
        return Ok(format!("'{value}'"));
    }
    if value.contains('$') {
        return refuse("needs double quotes and contains `$`");
    }
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out.push('"');
    Ok(out)
}

/// docker reads everything after the first `=` literally, to the end of the line (a CR before
/// the newline is dropped): a value with a line break cannot be written at all.
fn docker_value<'a>(name: &str, value: &'a str) -> Result<&'a str> {
    if value.contains(['\n', '\r']) {
        return Err(Error::usage(format!(
            "{name}'s value contains a line break, which `docker --env-file` cannot hold (it \
             reads one line per variable, literally); use --format dotenv or json"
        )));
    }
    Ok(value)
}

/// `--output FILE`: mode 0600 from the start, written atomically (a reader never sees half).
pub fn write(path: &Path, text: &str) -> Result<()> {
    write_private_atomic(path, text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_are_the_role_and_the_region_not_the_saved_state() {
        let originals: Snapshot = [
            ("AWS_REGION".to_string(), "eu-west-1".to_string()),
            ("AWS_PROFILE".to_string(), "dev".to_string()),
        ]
        .into();
        let vars = variables(&crate::creds::sample_role_session(), &originals).unwrap();
        let names: Vec<&str> = vars.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            names,
            [
                "AWS_REGION",
                "AWS_ACCESS_KEY_ID",
                "AWS_SECRET_ACCESS_KEY",
                "AWS_SESSION_TOKEN",
                "AWS_CREDENTIAL_EXPIRATION",
                "AWSENV_ROLE",
                "AWSENV_ROLE_ARN",
                "AWSENV_SESSION_ARN",
                "AWSENV_EXPIRES_AT",
                "AWSENV_SOURCE"
            ]
        );
        assert_eq!(vars[0].1, "eu-west-1");
    }

    #[test]
    fn formats_exact() {
        let vars = vec![
            ("A".to_string(), "x/y+z=".to_string()),
            ("B".to_string(), "it's \\ \"q\"\r\n".to_string()),
        ];
        assert_eq!(
            render(Format::Dotenv, &vars).unwrap(),
            "A='x/y+z='\nB=\"it's \\\\ \\\"q\\\"\\r\\n\"\n"
        );
        assert_eq!(
            render(Format::Json, &vars).unwrap(),
            "{\"A\":\"x/y+z=\",\"B\":\"it's \\\\ \\\"q\\\"\\r\\n\"}\n"
        );
        assert!(render(Format::Docker, &vars).is_err());
        assert_eq!(render(Format::Docker, &vars[..1]).unwrap(), "A=x/y+z=\n");
        for bad in ["${HOME}", "a'$b"] {
            let e = render(Format::Dotenv, &[("R".to_string(), bad.to_string())]);
            assert!(e.is_err(), "{bad}");
        }
        assert_eq!(
            render(Format::Dotenv, &[("R".into(), "$HOME".into())]).unwrap(),
            "R='$HOME'\n"
        );
    }
}
