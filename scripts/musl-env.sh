# shellcheck shell=bash
# How cargo builds awsenv for ARCH-unknown-linux-musl: sourced by scripts/release and
# scripts/hot-functions, which must build the same binary (symbol names depend on it).
#
# Rust's musl targets bring their own C library and start files; the C compiler (Debian's
# gcc, or its aarch64 cross gcc) compiles ring's C code and drives the link, with rustc's own
# lld. Linked at a fixed address (`-C relocation-model=static`), as Go links aws-vault and
# granted: a static PIE spends its start-up applying ~12,500 relocations, reading a 300 KB
# table and copying 46 pages of pointers, which made a cached `assume` about 1.4x slower
# (README "Build choices"). The stack, heap and mappings stay randomised; the image does not.
# Identical code folding here; the hot functions first come from build.rs, as for glibc.

# musl_env ARCH: sets MUSL_TARGET and exports the compiler, linker and flags for it.
musl_env() {
  local arch=$1 cc pkg t T lld_dir
  case "$arch" in
    x86_64) cc=gcc pkg=gcc ;;
    aarch64) cc=aarch64-linux-gnu-gcc pkg=gcc-aarch64-linux-gnu ;;
    *) echo "unknown architecture $arch (x86_64 or aarch64)" >&2; return 2 ;;
  esac
  if ! command -v "$cc" >/dev/null 2>&1; then
    echo "$cc is missing (Debian: apt-get install $pkg)" >&2
    return 1
  fi
  MUSL_TARGET=$arch-unknown-linux-musl
  if ! rustup target list --installed | grep -qx "$MUSL_TARGET"; then
    echo "installing the Rust target $MUSL_TARGET" >&2
    rustup target add "$MUSL_TARGET"
  fi
  t=${MUSL_TARGET//-/_}
  T=$(echo "$t" | tr '[:lower:]' '[:upper:]')
  lld_dir="$(rustc --print sysroot)/lib/rustlib/$(rustc -vV | sed -n 's/^host: //p')/bin/gcc-ld"
  export "CC_$t=$cc" "CARGO_TARGET_${T}_LINKER=$cc"
  export "CARGO_TARGET_${T}_RUSTFLAGS=-C relocation-model=static -C link-arg=-fuse-ld=lld -C link-arg=-B$lld_dir -C link-arg=-Wl,--icf=all"
}
