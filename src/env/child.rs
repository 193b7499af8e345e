//! The environment of a child process that runs with a role: the user's environment with the
//! activation's changes on top. The same activation as the shell's, applied to a map.

use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};

use crate::env::change::EnvSink;
use crate::error::{Error, Result};
use crate::shell::script::VarName;

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

    /// A child keeps nothing back: it has no shell variables to hold values in, and restoring
    /// is its parent's business.
    fn hold(&mut self, _names: &[&str]) -> Result<()> {
        Ok(())
    }

    fn remove<'a>(&mut self, names: impl IntoIterator<Item = &'a str>) -> Result<()> {
        for n in names {
            self.changes.insert(n.to_string(), None);
        }
        Ok(())
    }
}

/// The command to run: as given, else the user's `$SHELL`, else /bin/sh.
pub fn program_and_args(command: &[OsString]) -> (OsString, &[OsString]) {
    match command.split_first() {
        Some((p, rest)) => (p.clone(), rest),
        None => (
            crate::environ::var_os("SHELL")
                .filter(|s| !s.is_empty())
                .map_or_else(|| "/bin/sh".into(), OsStr::to_os_string),
            &[],
        ),
    }
}

/// 127 when the command is not found, 126 when it cannot run, as shells report them.
pub fn spawn_error(program: &std::ffi::OsStr, err: &std::io::Error) -> Error {
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
