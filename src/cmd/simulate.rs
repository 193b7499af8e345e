//! `awsenv simulate`: act as a role through a base role, yours or the broker's (`--remote`);
//! exports, a command, a profile, or the request it would send.

use crate::cli::simulate::SimulateArgs;
use crate::cmd::assume::write_profile;
use crate::cmd::exec::exec;
use crate::cmd::options::{remote_request, simulate_request};
use crate::cmd::output::{refuse_terminal, Output};
use crate::cmd::serve;
use crate::cmd::session_data;
use crate::env::file::Format;
use crate::error::{Error, Result};
use crate::session::remote::{self, Remote};
use crate::session::simulate::{prepare, Simulated};

#[inline(never)]
pub fn run(a: &SimulateArgs) -> Result<Output> {
    let base = crate::environ::all().to_vec();
    let run_command = !a.command.is_empty();
    let force = a.session.shell.force;
    let data = session_data::wanted(&a.data);
    if data && (run_command || a.dry_run || a.out.write_profile.is_some() || a.endpoint.ecs_server)
    {
        return Err(Error::usage(
            "--format and --output write the session; they cannot be combined with a command \
             to run, --dry-run, --write-profile or --ecs-server",
        ));
    }
    if a.endpoint.ecs_server {
        return serve::simulate(a, base);
    }
    if !a.dry_run && !run_command && a.out.write_profile.is_none() && a.data.output.is_none() {
        refuse_terminal(force)?;
    }
    let needs_shell = !run_command && a.data.format == Format::Shell;
    let prepared = if a.remote {
        match remote::prepare(remote_request(a, needs_shell)?)? {
            Remote::DryRun(text) => Simulated::DryRun(text),
            Remote::Ready(p) => Simulated::Ready(p),
        }
    } else {
        prepare(simulate_request(a, needs_shell)?)?
    };
    match prepared {
        Simulated::DryRun(text) => Ok(Output::Text(text)),
        Simulated::Ready(p) if data => session_data::write(&p, &a.data, force),
        Simulated::Ready(p) if run_command => Err(exec(&p, base, &a.command)),
        Simulated::Ready(p) => match &a.out.write_profile {
            Some(name) => write_profile(&p, name, a.out.overwrite_keys, force),
            None => {
                let script = p.script()?;
                // As `assume`: keys replace a served role, whose endpoint stops.
                crate::endpoint::stop_from_env();
                Ok(Output::Script { script, force })
            }
        },
    }
}
