//! The environment change: which variables awsenv manages ([`vars`]), the state saved before
//! the first change ([`saved`]), and the change itself, to a role and back ([`change`]), or
//! as data for other programs ([`file`]).

pub mod change;
pub mod child;
pub mod file;
pub mod process;
pub mod saved;
pub mod vars;
