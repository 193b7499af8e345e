//! `awsenv roles`: every role you can reach, as a table or JSON.

use crate::cli::roles::{RolesArgs, RolesFormat};
use crate::cmd::output::Output;
use crate::error::Result;
use crate::session::roles::{list, ListOptions, RoleEntry};

#[inline(never)]
pub fn run(a: &RolesArgs) -> Result<Output> {
    let entries = list(&ListOptions { refresh: a.refresh })?;
    Ok(Output::Text(match a.format {
        RolesFormat::Json => format!(
            "{}\n",
            serde_json::to_string_pretty(&entries).unwrap_or_default()
        ),
        RolesFormat::Table => table(&entries),
    }))
}

/// Aligned columns; names are the user's own (account names may hold any character), so a
/// control character is shown escaped rather than sent to the terminal.
fn table(entries: &[RoleEntry]) -> String {
    let clean = |s: &str| s.chars().flat_map(char::escape_debug).collect::<String>();
    let rows: Vec<[String; 5]> = entries
        .iter()
        .map(|e| {
            [
                clean(&e.account_id),
                clean(&e.account_name),
                clean(&e.role_name),
                clean(&e.source),
                clean(e.profile.as_deref().unwrap_or("-")),
            ]
        })
        .collect();
    let head = ["ACCOUNT", "NAME", "ROLE", "SOURCE", "PROFILE"].map(str::to_string);
    let mut widths = head.clone().map(|h| h.chars().count());
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let mut out = String::new();
    for r in std::iter::once(&head).chain(&rows) {
        let cells: Vec<String> = r
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}
