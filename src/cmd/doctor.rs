//! `awsenv doctor`: the report on stdout; exit 15 when it found a problem.

use crate::cli::doctor::DoctorArgs;
use crate::cmd::output::Output;
use crate::doctor;

#[inline(never)]
pub fn run(a: &DoctorArgs) -> Output {
    let report = doctor::run(a.shell);
    Output::Report {
        problems: report.problems(),
        text: report.render(),
    }
}
