//! Which roles the picker was used for, and how often: a small 0600 file in the cache
//! directory, so that the list opens with the roles most recently and most often used.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::creds::now;
use crate::error::Result;
use crate::log;
use crate::store::fs as files;

/// The most roles remembered; the least used (then the oldest) are forgotten first.
pub const MAX_ENTRIES: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Use {
    pub role: String,
    pub count: u32,
    /// Seconds since the epoch.
    pub last: i64,
}

impl Use {
    /// Frecency: the count, weighted by how recent the last use is (×8 within the hour, ×4
    /// the day, ×2 the week, ×1 after). Integers: a weight a user can predict.
    pub fn score(&self, now: i64) -> u64 {
        let age = (now - self.last).max(0);
        let weight = match age {
            a if a < 3600 => 8,
            a if a < 86_400 => 4,
            a if a < 7 * 86_400 => 2,
            _ => 1,
        };
        u64::from(self.count) * weight
    }
}

fn path() -> Result<PathBuf> {
    Ok(files::cache_dir()?.join("history.json"))
}

/// The uses remembered, best first. A missing, unreadable or corrupt file is an empty history.
pub fn load() -> Vec<Use> {
    let Ok(p) = path() else { return Vec::new() };
    let mut uses: Vec<Use> = match files::read_private(&p) {
        Ok(Some(bytes)) => serde_json::from_slice(&bytes).unwrap_or_default(),
        Ok(None) => Vec::new(),
        Err(why) => {
            log::warn(format_args!("ignoring {}: {why}", p.display()));
            Vec::new()
        }
    };
    rank(&mut uses, now());
    uses
}

/// Best first: by score, then the most recent.
pub fn rank(uses: &mut [Use], now: i64) {
    uses.sort_by(|a, b| {
        b.score(now)
            .cmp(&a.score(now))
            .then(b.last.cmp(&a.last))
            .then(a.role.cmp(&b.role))
    });
}

/// `uses` with one more use of `role` at `now`, bounded to [`MAX_ENTRIES`].
pub fn with_use(mut uses: Vec<Use>, role: &str, now: i64) -> Vec<Use> {
    match uses.iter_mut().find(|u| u.role == role) {
        Some(u) => {
            u.count = u.count.saturating_add(1);
            u.last = now;
        }
        None => uses.push(Use {
            role: role.to_string(),
            count: 1,
            last: now,
        }),
    }
    rank(&mut uses, now);
    uses.truncate(MAX_ENTRIES);
    uses
}

/// Remembers a use of `role`. A history that cannot be written costs the order, nothing
/// else: one warning.
pub fn record(role: &str) {
    let written = path().and_then(|p| {
        let dir = p.parent().map(PathBuf::from).unwrap_or_default();
        files::secure_dir(&dir)?;
        let uses = with_use(load(), role, now());
        let body = serde_json::to_vec(&uses).unwrap_or_default();
        files::write_private_atomic(&p, &body)
    });
    if let Err(e) = written {
        log::warn(format_args!("{e}; the picker's history was not updated"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn most_recent_and_most_often_first_and_bounded() {
        let t = 10_000_000;
        let mut uses = Vec::new();
        for _ in 0..3 {
            uses = with_use(uses, "often-last-month", t - 30 * 86_400);
        }
        uses = with_use(uses, "once-last-week", t - 3 * 86_400);
        uses = with_use(uses, "once-now", t);
        let order: Vec<_> = uses.iter().map(|u| u.role.as_str()).collect();
        // 1×8 > 3×1 > 1×2 at `t`.
        assert_eq!(order, ["once-now", "often-last-month", "once-last-week"]);
        uses = with_use(uses, "once-last-week", t);
        assert_eq!(uses[0].role, "once-last-week", "2×8 now");
        for i in 0..(MAX_ENTRIES + 5) {
            uses = with_use(uses, &format!("r{i}"), t);
        }
        assert_eq!(uses.len(), MAX_ENTRIES);
        assert_eq!(uses[0].role, "once-last-week", "the most used stays");
    }
}
