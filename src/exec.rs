//! `awsenv exec` and `simulate -- CMD`: run a command with the role in its environment only.
//! No shell in between, every argument passed as it is, and the secrets only in the child's
//! environment, never in an argv.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::os::unix::process::CommandExt;
use std::process::Command;

use crate::assume::Prepared;
use crate::envstate::EnvSink;
use crate::error::{Error, Result};
use crate::shell::VarName;

/// The child's environment: the user's as it was when awsenv started, with the activation's
/// changes on top.
pub struct ChildEnv {
    base: Vec<(OsString, OsString)>,
    changes: BTreeMap<String, Option<String>>,
}

impl ChildEnv {
    pub fn new(base: Vec<(OsString, OsString)>) -> ChildEnv {
        ChildEnv {
            base,
            changes: BTreeMap::new(),
        }
    }

    pub fn vars(&self) -> Vec<(OsString, OsString)> {
        let mut out: Vec<(OsString, OsString)> = self
            .base
            .iter()
            .filter(|(k, _)| k.to_str().is_none_or(|k| !self.changes.contains_key(k)))
            .cloned()
            .collect();
        for (k, v) in &self.changes {
            if let Some(v) = v {
                out.push((k.into(), v.into()));
            }
        }
        out
    }
}

impl EnvSink for ChildEnv {
    fn set(&mut self, name: &str, value: &str, _secret: bool) -> Result<()> {
        VarName::new(name)?;
        self.changes
            .insert(name.to_string(), Some(value.to_string()));
        Ok(())
    }

    fn remove<'a>(&mut self, names: impl IntoIterator<Item = &'a str>) -> Result<()> {
        for n in names {
            self.changes.insert(n.to_string(), None);
        }
        Ok(())
    }
}

/// Replaces this process with `command` (or `$SHELL`): its exit status, signals and terminal
/// are then the command's own, with nothing of awsenv left in between. Returns only on failure.
pub fn exec(
    prepared: &Prepared,
    base_env: Vec<(OsString, OsString)>,
    command: &[OsString],
) -> Error {
    let mut env = ChildEnv::new(base_env);
    if let Err(e) = prepared.env.activate(&mut env, &prepared.act) {
        return e;
    }
    let (program, args): (OsString, &[OsString]) = match command.split_first() {
        Some((p, rest)) => (p.clone(), rest),
        None => (
            std::env::var_os("SHELL")
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "/bin/sh".into()),
            &[],
        ),
    };
    let err = Command::new(&program)
        .args(args)
        .env_clear()
        .envs(env.vars())
        .exec();
    let name = program.to_string_lossy();
    match err.kind() {
        std::io::ErrorKind::NotFound => Error::Spawn {
            message: format!("{name}: command not found"),
            code: 127,
        },
        _ => Error::Spawn {
            message: format!("cannot run {name}: {err}"),
            code: 126,
        },
    }
}
