//! The layout is part of the design: each folder of src/ is one layer, data flows one way
//! (cli -> cmd -> session -> aws/env/store -> shell -> stdout), and no file imports a file that
//! imports it back. This test reads every `crate::` path in src/ and fails on an import that
//! goes up a layer, on any import circle between files, and on a module far over 400 lines.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, highest first. A module may import from its own layer and from lower ranks
/// only. A new top-level module must be placed here: the test fails until it is.
const RANKS: &[(&str, u32)] = &[
    ("cmd", 8),
    ("cli", 7),
    ("endpoint", 6),
    ("broker", 6),
    ("doctor", 6),
    ("console", 6),
    ("session", 5),
    ("aws", 4),
    ("env", 3),
    ("store", 2),
    ("shell", 2),
    ("role", 1),
    ("policy", 1),
    ("log", 1),
    ("os", 1),
    ("creds", 1),
    ("random", 1),
    ("error", 0),
    ("environ", 0),
];

/// Lines of code (before the unit tests) a module may have; a few over is a judgement call,
/// much over is two modules in one file.
const MAX_LINES: usize = 450;

fn rank(group: &str) -> u32 {
    RANKS
        .iter()
        .find(|(g, _)| *g == group)
        .map(|(_, r)| *r)
        .unwrap_or_else(|| panic!("src/{group}: new top-level module; give it a rank in RANKS"))
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// `src/a/b.rs` -> [a, b]; `src/a/mod.rs` -> [a]; `src/lib.rs` -> [].
fn module_of(file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src()).unwrap();
    let mut parts: Vec<String> = rel
        .iter()
        .map(|c| c.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// The code without its unit tests, which may reach anywhere in their own file.
fn code_of(text: &str) -> &str {
    match text.find("#[cfg(test)]\nmod tests") {
        Some(i) => &text[..i],
        None => text,
    }
}

/// Every path written after `crate::` or `super::`, with `{a, b::c}` groups expanded.
fn paths_in(code: &str, here: &[String]) -> Vec<Vec<String>> {
    let bytes = code.as_bytes();
    let mut out = Vec::new();
    for (start, prefix) in [
        ("crate::", Vec::new()),
        ("super::", {
            let mut p = here.to_vec();
            p.pop();
            p
        }),
    ] {
        let mut i = 0;
        while let Some(off) = code[i..].find(start) {
            let at = i + off;
            i = at + start.len();
            let before = at.checked_sub(1).map(|j| bytes[j]);
            if before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b':') {
                continue;
            }
            let mut pos = i;
            parse_path(code, &mut pos, prefix.clone(), &mut out);
        }
    }
    out
}

fn ident(code: &str, pos: &mut usize) -> Option<String> {
    let rest = &code[*pos..];
    let n = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    (n > 0).then(|| {
        *pos += n;
        rest[..n].to_string()
    })
}

fn skip_ws(code: &str, pos: &mut usize) {
    while code[*pos..].starts_with(|c: char| c.is_whitespace()) {
        *pos += 1;
    }
}

fn parse_path(code: &str, pos: &mut usize, mut path: Vec<String>, out: &mut Vec<Vec<String>>) {
    loop {
        skip_ws(code, pos);
        if code[*pos..].starts_with('{') {
            *pos += 1;
            loop {
                skip_ws(code, pos);
                if code[*pos..].starts_with('}') {
                    *pos += 1;
                    return;
                }
                parse_path(code, pos, path.clone(), out);
                skip_ws(code, pos);
                if code[*pos..].starts_with("as ") {
                    *pos += 2;
                    skip_ws(code, pos);
                    ident(code, pos);
                    skip_ws(code, pos);
                }
                if code[*pos..].starts_with(',') {
                    *pos += 1;
                }
            }
        }
        match ident(code, pos) {
            Some(id) if id == "self" => {}
            Some(id) => path.push(id),
            None => {
                out.push(path);
                return;
            }
        }
        if code[*pos..].starts_with("::") {
            *pos += 2;
        } else {
            // ` as x`, `;`, `,`, `}` or an expression: the path ends here.
            out.push(path);
            return;
        }
    }
}

struct Tree {
    /// Module path -> file.
    files: BTreeMap<Vec<String>, PathBuf>,
}

impl Tree {
    fn read() -> Tree {
        let mut all = Vec::new();
        rust_files(&src(), &mut all);
        let files = all
            .into_iter()
            .filter(|f| !f.ends_with("main.rs") && !f.starts_with(src().join("bin")))
            .map(|f| (module_of(&f), f))
            .collect();
        Tree { files }
    }

    /// The file a path lives in: its longest prefix that is a module.
    fn resolve(&self, path: &[String]) -> Option<&Vec<String>> {
        (1..=path.len())
            .rev()
            .find_map(|n| self.files.get_key_value(&path[..n]).map(|(k, _)| k))
    }

    fn edges(&self) -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
        let mut edges = BTreeMap::new();
        for (module, file) in &self.files {
            let text = std::fs::read_to_string(file).unwrap();
            let targets: BTreeSet<Vec<String>> = paths_in(code_of(&text), module)
                .iter()
                .filter_map(|p| self.resolve(p))
                .filter(|t| *t != module)
                .cloned()
                .collect();
            edges.insert(module.clone(), targets);
        }
        edges
    }
}

fn show(m: &[String]) -> String {
    if m.is_empty() {
        "crate".to_string()
    } else {
        m.join("::")
    }
}

#[test]
fn imports_only_go_down_the_layers() {
    let tree = Tree::read();
    let mut wrong = Vec::new();
    for (from, targets) in tree.edges() {
        let Some(group) = from.first() else { continue };
        for to in targets {
            let Some(to_group) = to.first() else { continue };
            if to_group != group && rank(to_group) >= rank(group) {
                wrong.push(format!("{} imports {}", show(&from), show(&to)));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the layers:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_import_circles() {
    let edges = Tree::read().edges();
    // Depth-first search; a back edge to a module on the current path is a circle.
    fn visit(
        m: &Vec<String>,
        edges: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        path: &mut Vec<Vec<String>>,
        done: &mut BTreeSet<Vec<String>>,
        circles: &mut Vec<String>,
    ) {
        if let Some(i) = path.iter().position(|p| p == m) {
            let mut c: Vec<String> = path[i..].iter().map(|p| show(p)).collect();
            c.push(show(m));
            circles.push(c.join(" -> "));
            return;
        }
        if !done.insert(m.clone()) {
            return;
        }
        path.push(m.clone());
        for t in edges.get(m).into_iter().flatten() {
            visit(t, edges, path, done, circles);
        }
        path.pop();
    }
    let mut circles = Vec::new();
    let mut done = BTreeSet::new();
    for m in edges.keys() {
        visit(m, &edges, &mut Vec::new(), &mut done, &mut circles);
    }
    assert!(
        circles.is_empty(),
        "import circles:\n{}",
        circles.join("\n")
    );
}

#[test]
fn modules_stay_small() {
    let tree = Tree::read();
    let big: Vec<String> = tree
        .files
        .values()
        .filter_map(|f| {
            let text = std::fs::read_to_string(f).unwrap();
            let n = code_of(&text).lines().count();
            (n > MAX_LINES).then(|| format!("{} has {n} lines of code", f.display()))
        })
        .collect();
    assert!(big.is_empty(), "split these:\n{}", big.join("\n"));
}

#[test]
fn the_parser_sees_grouped_and_relative_imports() {
    let here = vec!["session".to_string(), "assume".to_string()];
    let paths = paths_in(
        "use crate::{aws::sts::{Sts, X as Y}, log};\nuse super::pipeline::Lookup;\nlet x = crate::creds::now();\nfoo::crate::no;",
        &here,
    );
    let shown: BTreeSet<String> = paths.iter().map(|p| p.join("::")).collect();
    let want: BTreeSet<String> = [
        "aws::sts::Sts",
        "aws::sts::X",
        "log",
        "creds::now",
        "session::pipeline::Lookup",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert_eq!(shown, want);
}

/// Each shell is one room (src/shell/<shell>.rs): outside src/shell/, no code names a shell
/// (`Shell::Bash` …); it asks the shell it was given. clap_complete's own shells
/// (`CompletionShell`) are another enum and not matched here.
#[test]
fn only_the_shells_rooms_name_a_shell() {
    let variants = ["Bash", "Zsh", "Fish", "Powershell", "Nu"].map(|v| format!("Shell::{v}"));
    let mut seen_inside = 0;
    let mut outside = Vec::new();
    for (module, file) in &Tree::read().files {
        let text = std::fs::read_to_string(file).unwrap();
        let code = code_of(&text);
        for v in &variants {
            let named = code.match_indices(v.as_str()).any(|(i, _)| {
                let before = code[..i].chars().next_back();
                let after = code[i + v.len()..].chars().next();
                !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
                    && !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
            });
            match (module.first().map(String::as_str), named) {
                (Some("shell"), true) => seen_inside += 1,
                (_, true) => outside.push(format!("{} names {v}", file.display())),
                _ => {}
            }
        }
    }
    // The scan must see the variants where they are named, or it proves nothing.
    assert!(
        seen_inside >= variants.len(),
        "the scan found no shell in src/shell/"
    );
    assert!(outside.is_empty(), "{}", outside.join("\n"));
}

/// One home for each rule: bytes become hex through the `hex` crate, not through a formatting
/// loop written again in each module that needs one.
#[test]
fn hex_has_one_home() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    assert!(files.len() > 50, "only {} files under src/", files.len());
    let loops: Vec<String> = files
        .iter()
        .filter(|f| {
            let text = std::fs::read_to_string(f).unwrap();
            text.contains(":02x}") || text.contains(":02X}")
        })
        .map(|f| f.display().to_string())
        .collect();
    assert!(loops.is_empty(), "hand-written hex encoders in {loops:?}");
}
