//! Link-time choices for the `awsenv` binary only (the broker and the tests are left alone).
//! Each is asked of the linker this build really uses, by linking an empty program with it:
//! whether that is rustc's own lld or the system's cc and GNU ld depends on how rustc was built
//! (distributions build it against their own LLVM, without lld) and on the build's flags.
//!
//! Packed relative relocations (DT_RELR): a PIE's start-up fixes up every pointer in its data,
//! about 12,000 of them here; as a packed bitmap the dynamic loader does that in a fraction of
//! the instructions, and the binary stays position-independent (ASLR). Only with glibc 2.36
//! or newer on the build machine (older loaders refuse such a binary), never for a cross build.
//!
//! Identical code folding (`--icf=all`, lld and gold): generic code instantiated for different
//! types often compiles to the same machine code, and the linker keeps one copy (about 90 KB
//! here). Functions may then share an address, which Rust never promises to be unique; data is
//! folded only where the compiler marked its address as never taken.
//!
//! Hot functions first (`--symbol-ordering-file`, lld, release builds): the functions the
//! cached paths run, listed by scripts/hot-functions in bench/hot-functions.txt, are placed
//! together, since a start-up faults code in 64 KB at a time. Names this build does not have
//! are skipped; the list holds the glibc and the static (musl) builds' names alike.
//!
//! The static binaries (`*-linux-musl`, scripts/release) get only the last: their link is set
//! up by scripts/musl-env.sh, and DT_RELR would tie them to glibc 2.36.
#![allow(clippy::disallowed_methods)] // cargo hands a build script its settings in the environment (clippy.toml is for src/)

use std::path::Path;
use std::process::{Command, Stdio};

const HOT_FUNCTIONS: &str = "bench/hot-functions.txt";

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed={HOT_FUNCTIONS}");
    let target = std::env::var("TARGET").unwrap_or_default();
    let host = std::env::var("HOST").unwrap_or_default();
    let native_glibc = target == host && target.ends_with("-linux-gnu");
    // The static binaries (scripts/release): their linker and flags come from
    // scripts/musl-env.sh; only the hot functions' order is added here.
    let musl = target.ends_with("-linux-musl");
    if !native_glibc && !musl {
        return;
    }
    let mut args: Vec<String> = Vec::new();
    if native_glibc {
        let relr = "-Wl,-z,pack-relative-relocs";
        if glibc_at_least(2, 36) && links_with(&target, &[relr]) {
            args.push(relr.into());
        }
        let icf = "-Wl,--icf=all";
        if links_with(&target, &[icf]) {
            args.push(icf.into());
        }
    }
    let release = std::env::var("PROFILE").is_ok_and(|p| p == "release");
    let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    let order = Path::new(&dir).join(HOT_FUNCTIONS);
    if release && order.exists() {
        let order = [
            format!("-Wl,--symbol-ordering-file={}", order.display()),
            "-Wl,--no-warn-symbol-ordering".to_string(),
        ];
        if links_with(&target, &[&order[0], &order[1]]) {
            args.extend(order);
        }
    }
    for a in args {
        println!("cargo:rustc-link-arg-bin=awsenv={a}");
    }
}

/// Whether rustc, with this build's target, flags and linker, links an empty program with
/// `link_args`.
fn links_with(target: &str, link_args: &[&str]) -> bool {
    let (Ok(out), Ok(rustc)) = (std::env::var("OUT_DIR"), std::env::var("RUSTC")) else {
        return false;
    };
    let src = Path::new(&out).join("probe.rs");
    if std::fs::write(&src, "fn main() {}\n").is_err() {
        return false;
    }
    let mut cmd = Command::new(rustc);
    if let Ok(flags) = std::env::var("CARGO_ENCODED_RUSTFLAGS") {
        cmd.args(flags.split('\x1f').filter(|f| !f.is_empty()));
    }
    if let Ok(linker) = std::env::var("RUSTC_LINKER") {
        cmd.arg(format!("-Clinker={linker}"));
    }
    for a in link_args {
        cmd.arg(format!("-Clink-arg={a}"));
    }
    cmd.args(["--target", target]);
    cmd.args(["--edition", "2021", "--crate-type", "bin", "-o"])
        .arg(Path::new(&out).join("probe"))
        .arg(&src)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// The glibc of the build machine, from `getconf GNU_LIBC_VERSION` ("glibc 2.36").
fn glibc_at_least(major: u32, minor: u32) -> bool {
    let Ok(out) = Command::new("getconf").arg("GNU_LIBC_VERSION").output() else {
        return false;
    };
    let text = String::from_utf8_lossy(&out.stdout);
    let mut nums = text
        .trim()
        .trim_start_matches("glibc ")
        .split('.')
        .map(|n| n.parse::<u32>().unwrap_or(0));
    let (a, b) = (nums.next().unwrap_or(0), nums.next().unwrap_or(0));
    (a, b) >= (major, minor)
}
