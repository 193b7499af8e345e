//! `awsenv doctor`: what goes wrong in practice, checked and said in plain words, each
//! problem with its fix. Local checks first ([`local`]: shell, init, directories, cache, the
//! active role), then AWS ([`remote`]: source credentials, endpoint and region, the clock
//! against STS). Never prints a secret: keys are named by their access key id.

mod local;
mod remote;
mod sso;

use crate::shell::Shell;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Fine.
    Ok,
    /// Worth knowing; nothing fails because of it.
    Note,
    /// Something will fail: doctor exits non-zero.
    Problem,
}

#[derive(Debug, Clone)]
pub struct Finding {
    pub level: Level,
    pub topic: &'static str,
    pub text: String,
    pub fix: Option<String>,
}

impl Finding {
    pub fn ok(topic: &'static str, text: impl Into<String>) -> Finding {
        Finding {
            level: Level::Ok,
            topic,
            text: text.into(),
            fix: None,
        }
    }

    pub fn note(topic: &'static str, text: impl Into<String>, fix: Option<String>) -> Finding {
        Finding {
            level: Level::Note,
            topic,
            text: text.into(),
            fix,
        }
    }

    pub fn problem(
        topic: &'static str,
        text: impl Into<String>,
        fix: impl Into<String>,
    ) -> Finding {
        Finding {
            level: Level::Problem,
            topic,
            text: text.into(),
            fix: Some(fix.into()),
        }
    }
}

pub struct Report {
    pub findings: Vec<Finding>,
}

impl Report {
    pub fn problems(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.level == Level::Problem)
            .count()
    }

    pub fn render(&self) -> String {
        let mut out = String::new();
        for f in &self.findings {
            let mark = match f.level {
                Level::Ok => "ok     ",
                Level::Note => "note   ",
                Level::Problem => "PROBLEM",
            };
            out.push_str(&format!("{mark} {:<12} {}\n", f.topic, f.text));
            if let Some(fix) = &f.fix {
                out.push_str(&format!("{:<20} fix: {fix}\n", ""));
            }
        }
        out.push_str(&match self.problems() {
            0 => "no problems found\n".to_string(),
            n => format!("{n} problem(s) found: see the fixes above\n"),
        });
        out
    }
}

/// Every check, in order. `shell` is `--shell`, to check another shell than the parent.
pub fn run(shell: Option<Shell>) -> Report {
    let mut findings = Vec::new();
    let detected = local::shell(shell, &mut findings);
    findings.push(local::init(detected));
    local::directories(&mut findings);
    findings.push(local::active_role());
    sso::sessions(&mut findings);
    remote::aws(&mut findings);
    Report { findings }
}
