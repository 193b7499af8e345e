//! The release binaries as a user gets them, checked after scripts/test has built them (these
//! tests are `#[ignore]`d for a plain `cargo test`, which builds neither):
//! - the static ones (scripts/release) load on any Linux: no interpreter, no shared library,
//!   no symbol version (GLIBC_ABI_DT_RELR above all, which glibc < 2.36 refuses);
//! - the glibc one (`cargo build --release`) needs nothing but libc (libm stays out);
//! - a cached `assume` and `status` stay within an instruction budget: a change that makes
//!   the cached path much longer fails here, where wall time would only be noise.
#![allow(clippy::disallowed_methods)] // tests read their own process's environment (clippy.toml is for src/)

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::{assert_ok, repo_root, role_arn, Env};

fn readelf(args: &[&str], bin: &Path) -> String {
    let o = Command::new("readelf")
        .args(args)
        .arg(bin)
        .output()
        .expect("run readelf (binutils)");
    assert!(o.status.success(), "readelf {args:?} {}", bin.display());
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// What a loader needs of `bin`: its interpreter, its shared libraries, its symbol versions.
struct Needs {
    interpreter: bool,
    libraries: Vec<String>,
    versions: Vec<String>,
}

fn needs(bin: &Path) -> Needs {
    let headers = readelf(&["-lW"], bin);
    assert!(
        headers.contains("Elf file type is"),
        "{} is not an ELF file: {headers}",
        bin.display()
    );
    let dynamic = readelf(&["-dW"], bin);
    let libraries = dynamic
        .lines()
        .filter(|l| l.contains("(NEEDED)"))
        .filter_map(|l| l.split('[').nth(1))
        .map(|l| l.trim_end_matches(']').to_string())
        .collect();
    let versions = readelf(&["-VW"], bin)
        .split_whitespace()
        .filter(|w| w.starts_with("GLIBC_"))
        .map(str::to_string)
        .collect();
    Needs {
        interpreter: headers
            .lines()
            .any(|l| l.trim_start().starts_with("INTERP")),
        libraries,
        versions,
    }
}

fn dist_binaries() -> Vec<PathBuf> {
    let dist = repo_root().join("dist");
    let bins: Vec<PathBuf> = ["x86_64", "aarch64"]
        .iter()
        .map(|a| dist.join(format!("awsenv-{a}-linux-musl")))
        .filter(|p| p.exists())
        .collect();
    assert!(
        !bins.is_empty(),
        "no static binary in {}: run scripts/release",
        dist.display()
    );
    bins
}

#[test]
#[ignore = "needs scripts/release; run by scripts/test"]
fn static_binaries_need_nothing() {
    for bin in dist_binaries() {
        let n = needs(&bin);
        assert!(!n.interpreter, "{}: has an interpreter", bin.display());
        assert!(
            n.libraries.is_empty(),
            "{}: {:?}",
            bin.display(),
            n.libraries
        );
        assert!(n.versions.is_empty(), "{}: {:?}", bin.display(), n.versions);
        // Linked at a fixed address (scripts/release says why): nothing to relocate at
        // start-up.
        assert!(
            readelf(&["-hW"], &bin).contains("EXEC (Executable file)"),
            "{}: not a fixed-address executable",
            bin.display()
        );
        assert!(
            readelf(&["-rW"], &bin).contains("There are no relocations in this file"),
            "{}: has relocations to apply at start-up",
            bin.display()
        );
    }
}

/// The binary `cargo install` makes, which scripts/test builds and names in AWSENV_TEST_BIN.
fn release_binary() -> PathBuf {
    let bin = std::env::var_os("AWSENV_TEST_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target/release/awsenv"));
    assert!(bin.exists(), "no release binary at {}", bin.display());
    bin
}

#[test]
#[ignore = "needs the release binary; run by scripts/test"]
fn glibc_binary_needs_only_libc() {
    let bin = release_binary();
    let n = needs(&bin);
    assert!(n.interpreter, "a dynamically linked binary has one");
    for lib in &n.libraries {
        assert!(
            lib == "libc.so.6" || lib == "libgcc_s.so.1" || lib.starts_with("ld-linux"),
            "{} needs {lib} (libm.so is avoided on purpose: src/main.rs)",
            bin.display()
        );
    }
    assert!(
        n.libraries.iter().any(|l| l == "libc.so.6"),
        "{:?}",
        n.libraries
    );
}

/// Instructions (valgrind's count of executed instructions, `Ir`) of one run of `args`.
fn instructions(env: &Env, bin: &Path, args: &[&str]) -> u64 {
    let o = env
        .command("valgrind")
        .args(["--tool=callgrind", "--callgrind-out-file=/dev/null"])
        .arg(bin)
        .args(args)
        .output()
        .expect("run valgrind");
    assert_ok(&o);
    let err = String::from_utf8_lossy(&o.stderr);
    err.lines()
        .find_map(|l| {
            l.split_once("Collected :")
                .map(|(_, n)| n.trim().to_string())
        })
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no instruction count from callgrind: {err}"))
}

/// The budgets (cached `assume`, `status`), in instructions of one run, about 1.5× what they
/// took on 2026-12-05, so noise never fails them and a change that doubles either path does.
/// The glibc binary: 783,882 and 468,330 (its dynamic loader is ~0.25 M of each).
const GLIBC_BUDGETS: (u64, u64) = (1_180_000, 700_000);
/// The static binary (musl, dlmalloc): 412,687 and 87,173.
const STATIC_BUDGETS: (u64, u64) = (620_000, 130_000);

#[test]
#[ignore = "needs the release binaries and valgrind; run by scripts/test"]
fn cached_paths_within_their_instruction_budget() {
    let static_bin = repo_root().join("dist/awsenv-x86_64-linux-musl");
    assert!(
        static_bin.exists(),
        "no {}: run scripts/release",
        static_bin.display()
    );
    within_budget(&release_binary(), GLIBC_BUDGETS);
    within_budget(&static_bin, STATIC_BUDGETS);
}

fn within_budget(bin: &Path, (assume_budget, status_budget): (u64, u64)) {
    let env = Env::user("dev");
    let target = role_arn("app/Target");
    // Fills the cache: the measured run is a hit.
    let o = env
        .command(bin)
        .args(["assume", &target, "-s", "bash"])
        .output()
        .unwrap();
    assert_ok(&o);
    let assume = instructions(&env, bin, &["assume", &target, "-s", "bash"]);
    let status = instructions(&env, bin, &["status"]);
    eprintln!(
        "{}: cached assume {assume} instructions, status {status}",
        bin.display()
    );
    assert!(
        assume <= assume_budget,
        "{}: cached assume {assume} instructions, budget {assume_budget}",
        bin.display()
    );
    assert!(
        status <= status_budget,
        "{}: status {status} instructions, budget {status_budget}",
        bin.display()
    );
}

/// The aarch64 static binary, run by qemu-user: `--version`, a cold and a cached `assume`
/// (the cached one with `--cache-only`, which fails on a miss) and `status` with the role
/// active, against the same moto.
#[test]
#[ignore = "needs scripts/release and qemu-user; run by scripts/test"]
fn aarch64_binary_runs_under_qemu() {
    let bin = repo_root().join("dist/awsenv-aarch64-linux-musl");
    assert!(bin.exists(), "no {}: run scripts/release", bin.display());
    let qemu = support::require("qemu-aarch64");
    let env = Env::user("dev");
    let target = role_arn("app/Target");
    let run = |args: &[&str]| {
        let o = env.command(&qemu).arg(&bin).args(args).output().unwrap();
        assert_ok(&o);
        support::stdout(&o)
    };
    assert!(run(&["--version"]).starts_with("awsenv "));
    let cold = run(&["assume", &target, "-s", "bash"]);
    let cached = run(&["assume", &target, "-s", "bash", "--cache-only"]);
    let key = |s: &str| {
        s.lines()
            .find(|l| l.contains("AWS_ACCESS_KEY_ID="))
            .map(str::to_string)
            .unwrap_or_else(|| panic!("no key in {s}"))
    };
    assert_eq!(
        key(&cold),
        key(&cached),
        "the cached session is the cold one"
    );
    let o = env.shell(
        "bash",
        &format!(
            "eval \"$({q} {b} assume {target} -s bash --cache-only)\" && {q} {b} status",
            q = qemu.display(),
            b = bin.display()
        ),
    );
    assert_ok(&o);
    assert!(
        support::stdout(&o).contains("Target"),
        "{}",
        support::stdout(&o)
    );
}
