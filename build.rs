//! Link-time choices for the `awsenv` binary only (the broker and the tests are left alone).
//!
//! Packed relative relocations (DT_RELR): a PIE's start-up fixes up every pointer in its data,
//! about 12,000 of them here; as a packed bitmap the dynamic loader does that in a fraction of
//! the instructions, and the binary stays position-independent (ASLR). Only where it is sure
//! to work: Linux with glibc 2.36 or newer on the build machine (older loaders refuse such a
//! binary), and never for a cross build.
//!
//! Identical code folding (`--icf=all`): generic code instantiated for different types often
//! compiles to the same machine code; lld keeps one copy (about 90 KB here). Only code is
//! folded, never data, so what differs is only that two functions may share an address, which
//! Rust never promises to be unique. Only with rustc's own lld, the default linker for
//! x86_64-unknown-linux-gnu since Rust 1.90: GNU ld has no such option. With the same lld, the
//! functions of the cached paths are placed together (bench/hot-functions.txt).

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let target = std::env::var("TARGET").unwrap_or_default();
    let host = std::env::var("HOST").unwrap_or_default();
    if target != host || !target.ends_with("-linux-gnu") {
        return;
    }
    if glibc_at_least(2, 36) {
        println!("cargo:rustc-link-arg-bin=awsenv=-Wl,-z,pack-relative-relocs");
    }
    if links_with_rust_lld(&target) {
        println!("cargo:rustc-link-arg-bin=awsenv=-Wl,--icf=all");
        // The functions the cached paths run, packed together (scripts/hot-functions): a
        // start-up faults in code 64 KB at a time. Names missing from this build are skipped.
        let order = std::path::Path::new(HOT_FUNCTIONS);
        println!("cargo:rerun-if-changed={HOT_FUNCTIONS}");
        let release = std::env::var("PROFILE").is_ok_and(|p| p == "release");
        let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
        if release && order.exists() && !dir.is_empty() {
            let path = std::path::Path::new(&dir).join(order);
            println!(
                "cargo:rustc-link-arg-bin=awsenv=-Wl,--symbol-ordering-file={}",
                path.display()
            );
            println!("cargo:rustc-link-arg-bin=awsenv=-Wl,--no-warn-symbol-ordering");
        }
    }
}

const HOT_FUNCTIONS: &str = "bench/hot-functions.txt";

/// Whether the final link uses rustc's bundled lld: x86_64 Linux GNU with rustc 1.90 or newer,
/// unless the build's flags choose a linker themselves.
fn links_with_rust_lld(target: &str) -> bool {
    if target != "x86_64-unknown-linux-gnu" {
        return false;
    }
    let flags = std::env::var("CARGO_ENCODED_RUSTFLAGS").unwrap_or_default();
    if flags.contains("linker") || flags.contains("link-self-contained") {
        return false;
    }
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_string());
    let Ok(out) = std::process::Command::new(rustc).arg("--version").output() else {
        return false;
    };
    // "rustc 1.95.0 (59807616e 2026-04-14)"
    let text = String::from_utf8_lossy(&out.stdout);
    let mut nums = text
        .split_whitespace()
        .nth(1)
        .unwrap_or("")
        .split('.')
        .map(|n| n.parse::<u32>().unwrap_or(0));
    let (a, b) = (nums.next().unwrap_or(0), nums.next().unwrap_or(0));
    (a, b) >= (1, 90)
}

/// The glibc of the build machine, from `getconf GNU_LIBC_VERSION` ("glibc 2.36").
fn glibc_at_least(major: u32, minor: u32) -> bool {
    let Ok(out) = std::process::Command::new("getconf")
        .arg("GNU_LIBC_VERSION")
        .output()
    else {
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
