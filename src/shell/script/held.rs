//! The user's secret values while a role is active: held by the shell that evaluates the
//! code (unexported variables; nushell's record-valued `$env.__awsenv_held`), restored from
//! there, and passed to awsenv when it must run again with them. They are never printed.

use crate::error::Error;
use crate::shell::script::{unset_line, Script, VarName};
use crate::shell::{nu, Shell};

impl Script {
    /// Copies each variable in `names` into its holder (`holder(name)`), an unexported shell
    /// variable: the value never leaves the shell, and no child process sees the copy.
    pub fn hold(&mut self, names: &[&str], holder: impl Fn(&str) -> String) -> Result<(), Error> {
        if self.shell == Shell::Nu {
            let names = names
                .iter()
                .map(|n| VarName::new(n))
                .collect::<Result<Vec<_>, _>>()?;
            if !names.is_empty() {
                let names: Vec<&str> = names.iter().map(VarName::as_str).collect();
                self.push(Some(nu::HOLD), nu::entry(nu::HOLD, &nu::hold(&names)));
            }
            return Ok(());
        }
        for n in names {
            let n = VarName::new(n)?;
            let h = VarName::new(&holder(n.as_str()))?;
            self.text.push_str(&match self.shell {
                // `export -n`: under `set -a` every assignment is exported.
                Shell::Bash => format!("{h}=\"${{{n}-}}\"; export -n {h};\n"),
                // `-g`: a global even inside a function; `+x` in a statement of its own, as
                // ALL_EXPORT ignores it in the assignment.
                Shell::Zsh => format!("typeset -g {h}=\"${{{n}-}}\"; typeset -g +x {h};\n"),
                Shell::Fish => format!("set -gu {h} ${n};\n"),
                Shell::Powershell => format!("$global:{h} = $env:{n};\n"),
                // Its record says it all, above.
                Shell::Nu => String::new(),
            });
        }
        Ok(())
    }

    /// Restores `names` from their holders and exports `with` (values that only make sense
    /// with them, e.g. the access key id of a held secret key) when every holder is there;
    /// otherwise (a child shell has none of its parent's) unsets them all and prints
    /// `warning` on stderr. Then removes the holders.
    pub fn restore_held(
        &mut self,
        names: &[&str],
        with: &[(&str, &str)],
        holder: impl Fn(&str) -> String,
        warning: &str,
    ) -> Result<(), Error> {
        let names = names
            .iter()
            .map(|n| VarName::new(n))
            .collect::<Result<Vec<_>, _>>()?;
        let holders = names
            .iter()
            .map(|n| VarName::new(&holder(n.as_str())))
            .collect::<Result<Vec<_>, _>>()?;
        if names.is_empty() {
            return Ok(());
        }
        let sh = self.shell;
        if sh == Shell::Nu {
            for (n, _) in with {
                VarName::new(n)?;
            }
            let names: Vec<&str> = names.iter().map(VarName::as_str).collect();
            let line = nu::entry(nu::RESTORE, &nu::restore(&names, with, warning));
            self.push(Some(nu::RESTORE), line);
            return Ok(());
        }
        let cond = match sh {
            Shell::Bash | Shell::Zsh => {
                let tests: Vec<String> = holders
                    .iter()
                    .map(|h| format!("[ -n \"${{{h}+x}}\" ]"))
                    .collect();
                format!("if {}; then\n", tests.join(" && "))
            }
            Shell::Fish => {
                let tests: Vec<String> = holders.iter().map(|h| format!("set -q {h}")).collect();
                format!("if {}\n", tests.join("; and "))
            }
            Shell::Powershell => {
                let tests: Vec<String> = holders
                    .iter()
                    .map(|h| format!("(Test-Path Variable:global:{h})"))
                    .collect();
                format!("if ({}) {{\n", tests.join(" -and "))
            }
            Shell::Nu => String::new(),
        };
        self.text.push_str(&cond);
        // As the other managed variables: fish leaves a universal one as it is now.
        for (n, v) in with {
            self.restore(n, v, false)?;
        }
        for (n, h) in names.iter().zip(&holders) {
            self.restore_var(n.as_str(), h.as_str())?;
        }
        self.text.push_str(match sh {
            Shell::Bash | Shell::Zsh | Shell::Fish => "else\n",
            Shell::Powershell => "} else {\n",
            Shell::Nu => "",
        });
        let dropped: Vec<&str> = with
            .iter()
            .map(|(n, _)| *n)
            .chain(names.iter().map(VarName::as_str))
            .collect();
        self.unset(dropped)?;
        let warning = sh.quote(warning);
        self.text.push_str(&match sh {
            Shell::Bash | Shell::Zsh | Shell::Fish => {
                format!("printf '%s\\n' {warning} >&2;\n")
            }
            Shell::Powershell => format!("[Console]::Error.WriteLine({warning});\n"),
            Shell::Nu => String::new(),
        });
        self.text.push_str(match sh {
            Shell::Bash | Shell::Zsh => "fi;\n",
            Shell::Fish => "end;\n",
            Shell::Powershell => "}\n",
            Shell::Nu => "",
        });
        let refs: Vec<&VarName> = holders.iter().collect();
        self.text.push_str(&match sh {
            Shell::Bash | Shell::Zsh => unset_line(sh, &refs),
            Shell::Fish => holders
                .iter()
                .map(|h| format!("set -qg {h}; and set -eg {h};\n"))
                .collect(),
            Shell::Powershell => holders
                .iter()
                .map(|h| {
                    format!(
                        "Remove-Variable -Name {h} -Scope Global -ErrorAction SilentlyContinue;\n"
                    )
                })
                .collect(),
            // nushell's record says it all (returned above); these arms exist for the others.
            Shell::Nu => String::new(),
        });
        Ok(())
    }

    /// Runs `exe args` again with the holders of `names` in its environment (and `rerun_var`
    /// set), then evaluates what it prints when it succeeds: how awsenv gets at values only
    /// the shell has, without them ever being printed or stored.
    pub fn rerun(
        &mut self,
        exe: &str,
        args: &[String],
        names: &[&str],
        holder: impl Fn(&str) -> String,
        rerun_var: &str,
    ) -> Result<(), Error> {
        let rerun_var = VarName::new(rerun_var)?;
        let holders = names
            .iter()
            .map(|n| VarName::new(&holder(n)))
            .collect::<Result<Vec<_>, _>>()?;
        let sh = self.shell;
        if sh == Shell::Nu {
            let argv: Vec<&str> = std::iter::once(exe)
                .chain(args.iter().map(String::as_str))
                .collect();
            let env: Vec<(&str, &str)> = names
                .iter()
                .copied()
                .zip(holders.iter().map(VarName::as_str))
                .collect();
            let line = nu::entry(nu::RERUN, &nu::rerun(&argv, &env, rerun_var.as_str()));
            self.push(Some(nu::RERUN), line);
            return Ok(());
        }
        let argv: Vec<String> = std::iter::once(exe)
            .chain(args.iter().map(String::as_str))
            .map(|a| sh.quote(a))
            .collect();
        let argv = argv.join(" ");
        self.text.push_str(&match sh {
            Shell::Bash | Shell::Zsh => {
                let exports: String = holders
                    .iter()
                    .map(|h| format!("[ -n \"${{{h}+x}}\" ] && export {h}; "))
                    .collect();
                // On failure the status is awsenv's own: `eval` expands it before the unset.
                format!(
                    "if __awsenv_out=$({exports}{rerun_var}=1 exec {argv}); then eval \"$__awsenv_out\"; \
                     unset __awsenv_out; else __awsenv_rc=$?; unset __awsenv_out; \
                     eval \"unset __awsenv_rc; (exit $__awsenv_rc)\"; fi;\n"
                )
            }
            Shell::Fish => {
                let exports: String = holders
                    .iter()
                    .map(|h| format!("set -q {h}; and set -lx {h} ${h}; "))
                    .collect();
                // awsenv prints nothing when it fails; the block then prints a call that
                // returns its status, as `string collect` would hide it (no `pipestatus` in
                // fish 3.1).
                format!(
                    "function __awsenv_rc; return $argv[1]; end;\n\
                     set -l __awsenv_out (begin; set -lx {rerun_var} 1; {exports}{argv}; \
                     or echo __awsenv_rc $status; end | string collect);\neval $__awsenv_out;\n"
                )
            }
            Shell::Powershell => {
                let list: Vec<String> = holders.iter().map(|h| format!("'{h}'")).collect();
                let envs: Vec<String> = holders.iter().map(|h| format!("Env:{h}")).collect();
                format!(
                    "foreach ($__awsenv_n in @({})) {{ if (Test-Path \"Variable:global:$__awsenv_n\") \
                     {{ Set-Item -LiteralPath \"Env:$__awsenv_n\" -Value (Get-Variable -Name $__awsenv_n \
                     -Scope Global -ValueOnly) }} }}\n$env:{rerun_var} = '1';\ntry {{ $__awsenv_out = & {argv} \
                     | Out-String }} finally {{ Remove-Item -LiteralPath Env:{rerun_var}, {} -ErrorAction \
                     SilentlyContinue }}\nif ($LASTEXITCODE -eq 0) {{ Invoke-Expression $__awsenv_out }}\n",
                    list.join(", "),
                    envs.join(", ")
                )
            }
            Shell::Nu => String::new(),
        });
        Ok(())
    }
}
