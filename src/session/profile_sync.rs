//! `profiles sync`: one profile per account and role of an IAM Identity Center session, in a
//! block of the AWS config file that awsenv owns (between two marker comments) and rewrites
//! whole. Everything outside the block stays byte for byte; the same accounts and roles give
//! the same block, so a second run changes nothing.

use std::collections::BTreeSet;

use crate::error::{Error, Result};
use crate::session::roles::RoleEntry;

/// The markers around a session's block; the session name ends each line.
const BEGIN: &str = "# BEGIN awsenv profiles sync: do not edit, `awsenv profiles sync` rewrites \
                     this block. sso-session ";
const END: &str = "# END awsenv profiles sync. sso-session ";

/// A profile name made from `template` for `e`: `{account_name}`, `{account_id}`,
/// `{role_name}` and `{session}` filled in, each value and then the whole sanitised: anything
/// but letters, digits and `-_.` becomes `-` (a run of them one), trimmed of `-` and `.`.
pub fn render(template: &str, e: &RoleEntry, session: &str) -> String {
    let account_name = if e.account_name.is_empty() {
        &e.account_id
    } else {
        &e.account_name
    };
    let raw = template
        .replace("{account_name}", &sanitise(account_name))
        .replace("{account_id}", &sanitise(&e.account_id))
        .replace("{role_name}", &sanitise(&e.role_name))
        .replace("{session}", &sanitise(session));
    sanitise(&raw)
}

fn sanitise(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        let keep = c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
        if keep {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches(|c| c == '-' || c == '.').to_string()
}

/// Checks a template before any work: it must name the role and an account, so that the
/// names can be told apart.
pub fn validate_template(template: &str) -> Result<()> {
    let has_account = template.contains("{account_name}") || template.contains("{account_id}");
    if !template.contains("{role_name}") || !has_account {
        return Err(Error::usage(format!(
            "--template `{template}` must contain {{role_name}} and {{account_name}} or \
             {{account_id}}"
        )));
    }
    Ok(())
}

/// The block for `session`: a profile per entry, named by `template`, unique among themselves
/// and against `taken` (the profiles outside the block): a clash gets `-ACCOUNT_ID`, then a
/// number.
pub fn block(
    session: &str,
    template: &str,
    entries: &[RoleEntry],
    taken: &BTreeSet<String>,
) -> String {
    let mut used = taken.clone();
    let mut text = format!("{BEGIN}{session}\n");
    for e in entries {
        let base = render(template, e, session);
        let base = if base.is_empty() {
            format!("{}-{}", e.account_id, e.role_name)
        } else {
            base
        };
        let mut name = base.clone();
        if used.contains(&name) {
            name = format!("{base}-{}", e.account_id);
        }
        let mut n = 2;
        while used.contains(&name) {
            name = format!("{base}-{}-{n}", e.account_id);
            n += 1;
        }
        used.insert(name.clone());
        text.push_str(&format!(
            "\n[profile {name}]\nsso_session = {session}\nsso_account_id = {}\nsso_role_name = {}\n",
            e.account_id, e.role_name
        ));
    }
    text.push_str(&format!("\n{END}{session}\n"));
    text
}

/// Where the block of `session` is in `text`: the byte range from its first marker to the end
/// of its last one. Err when the markers are broken (one without the other, or out of order).
pub fn find_block(text: &str, session: &str) -> Result<Option<(usize, usize)>> {
    let begin = format!("{BEGIN}{session}\n");
    let end = format!("{END}{session}\n");
    let at_line = |needle: &str| {
        let mut from = 0;
        while let Some(i) = text[from..].find(needle) {
            let at = from + i;
            if at == 0 || text.as_bytes()[at - 1] == b'\n' {
                return Some(at);
            }
            from = at + 1;
        }
        None
    };
    match (at_line(&begin), at_line(&end)) {
        (None, None) => Ok(None),
        (Some(b), Some(e)) if b < e => Ok(Some((b, e + end.len()))),
        _ => Err(Error::usage(format!(
            "the AWS config file has a broken awsenv block for sso-session {session} (a marker \
             line is missing or out of order): fix or remove its marker lines and run again"
        ))),
    }
}

/// `text` with the block of `session` replaced by `block` (appended when there is none).
pub fn apply(text: &str, session: &str, block: &str) -> Result<String> {
    Ok(match find_block(text, session)? {
        Some((b, e)) => format!("{}{block}{}", &text[..b], &text[e..]),
        None if text.is_empty() => block.to_string(),
        None if text.ends_with("\n\n") => format!("{text}{block}"),
        None if text.ends_with('\n') => format!("{text}\n{block}"),
        None => format!("{text}\n\n{block}"),
    })
}

/// Profile names defined in `text` outside the block of `session`.
pub fn names_outside(text: &str, session: &str) -> Result<BTreeSet<String>> {
    let outside = match find_block(text, session)? {
        Some((b, e)) => format!("{}{}", &text[..b], &text[e..]),
        None => text.to_string(),
    };
    Ok(outside
        .lines()
        .filter_map(|l| {
            let l = l.trim();
            let inner = l.strip_prefix('[')?.strip_suffix(']')?.trim();
            let name = match inner.strip_prefix("profile") {
                Some(rest) if rest.starts_with(char::is_whitespace) => rest.trim(),
                Some(_) => return None,
                None if inner.starts_with("sso-session") || inner.starts_with("services") => {
                    return None
                }
                None => inner,
            };
            Some(name.to_string())
        })
        .collect())
}

/// A unified diff of two texts that differ in one region (as a block replacement does), with
/// three lines of context.
pub fn diff(path: &str, old: &str, new: &str) -> String {
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    if prefix == a.len() && prefix == b.len() {
        return String::new();
    }
    let start = prefix.saturating_sub(3);
    let (a_end, b_end) = (a.len() - suffix, b.len() - suffix);
    let tail = (a.len() - a_end).min(3);
    let line = |l: &str| {
        if l.ends_with('\n') {
            l.to_string()
        } else {
            format!("{l}\n\\ No newline at end of file\n")
        }
    };
    let mut out = format!("--- {path}\n+++ {path}\n");
    let count_a = a_end + tail - start;
    let count_b = b_end + tail - start;
    let from = |n: usize| if n == 0 { start } else { start + 1 };
    out.push_str(&format!(
        "@@ -{},{count_a} +{},{count_b} @@\n",
        from(count_a),
        from(count_b)
    ));
    for l in &a[start..prefix] {
        out.push(' ');
        out.push_str(&line(l));
    }
    for l in &a[prefix..a_end] {
        out.push('-');
        out.push_str(&line(l));
    }
    for l in &b[prefix..b_end] {
        out.push('+');
        out.push_str(&line(l));
    }
    for l in &a[a_end..a_end + tail] {
        out.push(' ');
        out.push_str(&line(l));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, name: &str, role: &str) -> RoleEntry {
        RoleEntry {
            account_id: id.into(),
            account_name: name.into(),
            role_name: role.into(),
            source: "sso:s".into(),
            profile: None,
        }
    }

    #[test]
    fn names_are_sanitised_and_unique() {
        let e = [
            entry("111111111111", "Prod Account!", "Admin"),
            entry("222222222222", "Prod Account?", "Admin"),
            entry("333333333333", "", "Read/Only"),
        ];
        let taken = BTreeSet::from(["dev".to_string()]);
        let b = block("s", "{account_name}.{role_name}", &e, &taken);
        assert!(b.contains("\n[profile Prod-Account.Admin]\n"), "{b}");
        assert!(
            b.contains("[profile Prod-Account.Admin-222222222222]\n"),
            "{b}"
        );
        assert!(b.contains("[profile 333333333333.Read-Only]\n"), "{b}");
    }

    #[test]
    fn the_block_is_replaced_in_place_and_the_rest_kept() {
        let text = "# mine\n[profile a]\nregion = x\n";
        let b1 = block(
            "s",
            "{account_id}.{role_name}",
            &[entry("1", "n", "R")],
            &BTreeSet::new(),
        );
        let first = apply(text, "s", &b1).unwrap();
        assert!(first.starts_with(text));
        assert_eq!(apply(&first, "s", &b1).unwrap(), first);
        let b2 = block("s", "{account_id}.{role_name}", &[], &BTreeSet::new());
        let second = apply(&first, "s", &b2).unwrap();
        assert!(second.starts_with(text) && second.ends_with(&b2));
        assert!(diff("c", &first, &first).is_empty());
        assert!(diff("c", &first, &second).contains("-[profile 1.R]\n"));
    }
}
