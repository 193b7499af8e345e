//! bash (3.2 and later): the POSIX shell code (`posix.rs`), its own way to keep
//! a variable unexported, and its integration script.

use std::fmt::Write as _;

use crate::shell::code::{Code, VarName};
use crate::shell::posix::Posix;

/// `awsenv init bash`'s file, with its placeholders.
pub const INIT: &str = include_str!("../../shell/awsenv.bash");

pub static BASH: Posix = Posix {
    name: "bash",
    programs: &["bash"],
    init_script: INIT,
    init_advice: "add `eval \"$(awsenv init bash)\"` to ~/.bashrc and open a new shell",
    hold,
};

/// `export -n`: under `set -a` every assignment is exported.
fn hold(out: &mut Code, name: &VarName, holder: &VarName) {
    let _ = write!(out, "{holder}=\"${{{name}-}}\"; export -n {holder};");
}
