//! PowerShell cannot be installed here, so what awsenv writes for it is parsed by an
//! independent parser: tree-sitter-powershell (npm), through `tests/support/ps_parse.mjs`.
//! Every document must parse with no ERROR and no MISSING node: the init script, the bundled
//! scripts, and the code of assume, unset, simulate, serve and the rerun stub, with hostile
//! values in the variables awsenv saves and restores. This proves syntax, not behaviour:
//! nothing here runs PowerShell, and the grammar does not treat U+2018..U+201B as quotes (the
//! quoting of those is checked against a model in tests/quoting_props.rs).

mod support;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use support::{assert_ok, parse_env0, repo_root, role_arn, stderr, stdout, venv, Env};

/// The parser's npm packages, installed by scripts/setup beside the venv.
fn parser_dir() -> PathBuf {
    let dir = venv().join("ts");
    assert!(
        dir.join("node_modules/tree-sitter-powershell").exists(),
        "tree-sitter-powershell is not installed in {}: run scripts/setup",
        dir.display()
    );
    // ES modules resolve packages from the script's own folder. Copied once per test binary:
    // a copy while another test's node loads it could hand that one a truncated file.
    static COPIED: std::sync::Once = std::sync::Once::new();
    COPIED.call_once(|| {
        std::fs::copy(
            repo_root().join("tests/support/ps_parse.mjs"),
            dir.join("ps_parse.mjs"),
        )
        .expect("copy the parser script");
    });
    dir
}

/// Parses each (name, text); returns the names with problems, and their problems.
fn problems(docs: &[(String, String)]) -> Vec<String> {
    assert!(!docs.is_empty(), "nothing to parse");
    for (name, text) in docs {
        assert!(!text.trim().is_empty(), "{name}: empty document");
    }
    let dir = parser_dir();
    let input: Vec<_> = docs
        .iter()
        .map(|(name, text)| serde_json::json!({"name": name, "text": text}))
        .collect();
    // Liftoff only: V8 otherwise recompiles the 1 MB grammar with TurboFan in the background
    // and the process lingers 10-30 s after its answer on this machine.
    let mut child = Command::new("node")
        .arg("--liftoff-only")
        .arg(dir.join("ps_parse.mjs"))
        .current_dir(&dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run node");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(serde_json::to_string(&input).unwrap().as_bytes())
        .expect("write the documents");
    let out = child.wait_with_output().expect("wait for node");
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(
        lines.len(),
        docs.len(),
        "the parser answered for every document: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bad: Vec<String> = lines
        .iter()
        .filter(|l| !l["problems"].as_array().is_some_and(|p| p.is_empty()))
        .map(|l| l.to_string())
        .collect();
    assert_eq!(
        out.status.success(),
        bad.is_empty(),
        "exit status and findings agree"
    );
    for l in &lines {
        assert!(l["nodes"].as_u64().unwrap_or(0) > 3, "a real tree: {l}");
    }
    bad
}

fn awsenv_text(env: &Env, args: &[&str]) -> String {
    let o = env.awsenv(args);
    assert_ok(&o);
    stdout(&o)
}

#[test]
fn the_parser_finds_errors() {
    // The check can fail: broken PowerShell is reported.
    let docs = [
        ("unclosed".to_string(), "$env:A = 'x\n".to_string()),
        ("brace".to_string(), "function f {\n  $x = 1\n".to_string()),
        ("ok".to_string(), "$env:A = 'x'\n".to_string()),
    ];
    let bad = problems(&docs);
    assert_eq!(bad.len(), 2, "{bad:?}");
    assert!(bad[0].contains("unclosed") && bad[1].contains("brace"));
}

#[test]
fn init_script_and_bundled_scripts_parse() {
    let env = Env::bare();
    let mut docs = vec![(
        "awsenv init powershell".to_string(),
        awsenv_text(&env, &["init", "powershell"]),
    )];
    let mut bundled = 0;
    for e in std::fs::read_dir(repo_root().join("shell")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "ps1") {
            bundled += 1;
            docs.push((
                p.display().to_string(),
                std::fs::read_to_string(&p).unwrap(),
            ));
        }
    }
    assert!(bundled >= 1, "no shell/*.ps1 found");
    let bad = problems(&docs);
    assert!(bad.is_empty(), "{bad:#?}");
}

/// The environment a bash script left (`env -0 > FILE`), for the next awsenv call.
fn env_after(env: &Env, script: &str) -> Env {
    let o = env.shell("bash", &format!("{script}\nenv -0 > after.env"));
    assert_ok(&o);
    let vars = parse_env0(&std::fs::read(env.path("after.env")).unwrap());
    // The variables of `env` (its HOME and cache among them) in an Env of its own.
    let mut next = Env::bare();
    next.vars = vars;
    next
}

#[test]
fn session_code_parses() {
    let env = Env::user("dev");
    let target = role_arn("app/Target");
    let mut docs = vec![
        (
            "assume".to_string(),
            awsenv_text(&env, &["assume", &target, "-s", "powershell"]),
        ),
        (
            "simulate".to_string(),
            awsenv_text(
                &env,
                &[
                    "simulate",
                    "--role-name",
                    "my-task",
                    "--base-role",
                    "power-user",
                    "--quiet",
                    "-s",
                    "powershell",
                ],
            ),
        ),
        (
            "unset with nothing active".to_string(),
            awsenv_text(&env, &["unset", "-s", "powershell"]),
        ),
    ];
    // A role active (assumed in bash): unset restores, and a miss that needs the originals'
    // secret, which only the shell holds, is answered with the rerun stub.
    let active = env_after(&env, &format!("eval \"$(awsenv assume {target} -s bash)\""));
    docs.push((
        "unset".to_string(),
        awsenv_text(&active, &["unset", "-s", "powershell"]),
    ));
    docs.push((
        "rerun".to_string(),
        awsenv_text(
            &active,
            &["assume", "awsenv-demo", "--no-cache", "-s", "powershell"],
        ),
    ));
    assert!(
        docs.last().unwrap().1.contains("$env:AWSENV_RERUN = '1'"),
        "the rerun stub runs awsenv again: {}",
        docs.last().unwrap().1
    );
    // The endpoint: the server ends with the bash that owns it.
    let o = env.shell(
        "bash",
        &format!("awsenv serve {target} -s powershell > serve.ps1"),
    );
    assert_ok(&o);
    docs.push((
        "serve".to_string(),
        std::fs::read_to_string(env.path("serve.ps1")).unwrap(),
    ));
    assert!(docs
        .last()
        .unwrap()
        .1
        .contains("AWS_CONTAINER_CREDENTIALS_FULL_URI"));
    let bad = problems(&docs);
    assert!(bad.is_empty(), "{bad:#?}");
}

/// Values a PowerShell literal must survive: its quotes (U+2018..U+201B end a single-quoted
/// string too), expansion syntax, comments, here-strings, line breaks, and a generated batch.
fn hostile_values() -> Vec<String> {
    let mut v: Vec<String> = [
        "it's",
        "'",
        "''",
        "\u{2018}x\u{2019}",
        "\u{201A}\u{201B}",
        "$(Remove-Item -Recurse ~)",
        "${env:HOME}",
        "$env:PATH",
        "`n`r`0",
        "\"double\"",
        "@'\nhere\n'@",
        "<# comment #>",
        "# hash",
        "a;b|c&d",
        "line1\nline2",
        "cr\rlf\r\n",
        "tab\there",
        "\\",
        "\u{feff}bom",
        "日本語 ünïcødé",
        " leading and trailing ",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    // A fixed-seed batch of mixed characters (the same each run: a failure reproduces).
    let alphabet: Vec<char> = "ab'\"`$(){}[]@#<>;|&\n\r\t\\\u{2018}\u{2019}\u{201A}\u{201B} "
        .chars()
        .collect();
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..40 {
        let mut s = String::new();
        for _ in 0..12 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            s.push(alphabet[(seed % alphabet.len() as u64) as usize]);
        }
        v.push(s);
    }
    v
}

#[test]
fn hostile_saved_values_parse() {
    let env = Env::user("dev");
    let target = role_arn("app/Target");
    let values = hostile_values();
    let mut list = Vec::new();
    for v in &values {
        list.extend_from_slice(v.as_bytes());
        list.push(0);
    }
    std::fs::write(env.path("values"), &list).unwrap();
    // For each value, held in a variable awsenv saves and restores: the assume code (which
    // carries the saved state) and the unset code (which writes the value back).
    let script = format!(
        r#"i=0
while IFS= read -r -d '' v; do
  export AWS_ROLE_SESSION_NAME="$v"
  awsenv assume {target} -s powershell > "assume-$i.ps1" || exit 1
  eval "$(awsenv assume {target} -s bash)" || exit 1
  awsenv unset -s powershell > "unset-$i.ps1" || exit 1
  eval "$(awsenv unset -s bash)" || exit 1
  i=$((i + 1))
done < values
echo "$i""#
    );
    let o = env.shell("bash", &script);
    assert_ok(&o);
    assert_eq!(
        stdout(&o).trim(),
        values.len().to_string(),
        "every value ran: {}",
        stderr(&o)
    );
    let mut docs = Vec::new();
    for (i, value) in values.iter().enumerate() {
        for kind in ["assume", "unset"] {
            let text = std::fs::read_to_string(env.path(&format!("{kind}-{i}.ps1"))).unwrap();
            docs.push((format!("{kind} with {value:?}"), text));
        }
    }
    let bad = problems(&docs);
    assert!(bad.is_empty(), "{bad:#?}");
}
