//! Link-time choices for the `awsenv` binary only (the broker and the tests are left alone).
//!
//! Packed relative relocations (DT_RELR): a PIE's start-up fixes up every pointer in its data,
//! about 12,000 of them here; as a packed bitmap the dynamic loader does that in a fraction of
//! the instructions, and the binary stays position-independent (ASLR). Only where it is sure
//! to work: Linux with glibc 2.36 or newer on the build machine (older loaders refuse such a
//! binary), and never for a cross build.

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
