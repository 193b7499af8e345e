//! zsh: the POSIX shell code (`posix.rs`), its own way to keep a variable
//! unexported, and its integration script.

use std::fmt::Write as _;

use crate::shell::code::{Code, VarName};
use crate::shell::posix::Posix;

/// `awsenv init zsh`'s file, with its placeholders.
pub const INIT: &str = include_str!("../../shell/awsenv.zsh");

pub static ZSH: Posix = Posix {
    name: "zsh",
    programs: &["zsh"],
    init_script: INIT,
    init_advice: "add `eval \"$(awsenv init zsh)\"` to ~/.zshrc and open a new shell",
    hold,
};

/// `-g`: a global even inside a function; `+x` in a statement of its own, as ALL_EXPORT
/// ignores it in the assignment (`export -n` is bash's).
fn hold(out: &mut Code, name: &VarName, holder: &VarName) {
    let _ = write!(
        out,
        "typeset -g {holder}=\"${{{name}-}}\"; typeset -g +x {holder};"
    );
}
