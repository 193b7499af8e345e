//! The environment of a child process that runs with a role: the user's environment with the
//! activation's changes on top. The same activation as the shell's, applied to a map.

use std::collections::BTreeMap;
use std::ffi::OsString;

use crate::env::change::EnvSink;
use crate::error::Result;
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
