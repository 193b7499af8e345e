//! One shell script, built whole in memory and printed once, only when everything succeeded.
//! The builder checks what it is given (names, values) and asks the shell's room
//! ([`ShellCode`]) for the code; it knows no shell itself.

use crate::error::Error;
pub use crate::shell::code::VarName;
use crate::shell::code::{Code, ShellCode};
use crate::shell::Shell;

/// One shell script, built whole in memory and printed once, only when everything succeeded.
#[derive(Debug)]
pub struct Script {
    shell: Shell,
    code: Code,
    secret: bool,
}

fn names<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<Vec<VarName>, Error> {
    names.into_iter().map(VarName::new).collect()
}

/// The holder (`holder(name)`) of each of `names`.
fn holders(names: &[VarName], holder: impl Fn(&str) -> String) -> Result<Vec<VarName>, Error> {
    names
        .iter()
        .map(|n| VarName::new(&holder(n.as_str())))
        .collect()
}

impl Script {
    pub fn new(shell: Shell) -> Script {
        Script {
            shell,
            code: Code::default(),
            secret: false,
        }
    }

    fn room(&self) -> &'static dyn ShellCode {
        self.shell.code()
    }

    pub fn shell(&self) -> Shell {
        self.shell
    }

    pub fn export(&mut self, name: &str, value: &str) -> Result<(), Error> {
        let name = VarName::new(name)?;
        no_nul(&name, value)?;
        self.room().export(&mut self.code, &name, value);
        Ok(())
    }

    /// Like `export`, and marks the script as holding a secret, so it is never shown on a
    /// terminal.
    pub fn export_secret(&mut self, name: &str, value: &str) -> Result<(), Error> {
        self.secret = true;
        self.export(name, value)
    }

    pub fn unset<'a>(&mut self, names: impl IntoIterator<Item = &'a str>) -> Result<(), Error> {
        let names = self::names(names)?;
        self.room().unset(&mut self.code, &names);
        Ok(())
    }

    /// Before the first change: remembers what a restore must know about which of `names`
    /// are the shell's own variables now (fish: globals, as opposed to universal variables,
    /// which awsenv must never create, change or erase).
    pub fn remember_scopes(&mut self, names: &[&str]) -> Result<(), Error> {
        self.room().remember_scopes(&mut self.code, names)
    }

    /// Makes `names` absent for programs while a role is active, as `unset` does, as far as
    /// the shell can (fish leaves a universal variable alone and says so on stderr).
    pub fn hide<'a>(&mut self, names: impl IntoIterator<Item = &'a str>) -> Result<(), Error> {
        let names = self::names(names)?;
        self.room().hide(&mut self.code, &names);
        Ok(())
    }

    /// Puts `name` back to `value` as it was when [`Script::remember_scopes`] ran.
    pub fn restore(&mut self, name: &str, value: &str, secret: bool) -> Result<(), Error> {
        let name = VarName::new(name)?;
        no_nul(&name, value)?;
        self.secret |= secret;
        let room = self.room();
        room.restore(&mut self.code, &name, &room.quote(value));
        Ok(())
    }

    /// Like [`Script::restore`], from the value of the unexported shell variable `holder`.
    pub fn restore_var(&mut self, name: &str, holder: &str) -> Result<(), Error> {
        let name = VarName::new(name)?;
        let holder = VarName::new(holder)?;
        let room = self.room();
        let Some(v) = room.held_value(&holder) else {
            return Err(Error::Usage(format!(
                "{} cannot restore {name} from {holder}",
                room.name()
            )));
        };
        room.restore(&mut self.code, &name, &v);
        Ok(())
    }

    /// Before the first change: keeps each of `names` that the shell has set but not
    /// exported (awsenv did not see them) in its holder (`holder(name)`), unexported.
    pub fn hold_unexported(
        &mut self,
        names: &[&str],
        holder: impl Fn(&str) -> String,
    ) -> Result<(), Error> {
        let names = self::names(names.iter().copied())?;
        let holders = holders(&names, holder)?;
        self.room()
            .hold_unexported(&mut self.code, &names, &holders);
        Ok(())
    }

    /// Puts back, unexported, each of `names` kept by [`Script::hold_unexported`].
    pub fn restore_unexported(
        &mut self,
        names: &[&str],
        holder: impl Fn(&str) -> String,
    ) -> Result<(), Error> {
        let names = self::names(names.iter().copied())?;
        let holders = holders(&names, holder)?;
        self.room()
            .restore_unexported(&mut self.code, &names, &holders);
        Ok(())
    }

    /// Ends a restore: the record of [`Script::remember_scopes`] goes.
    pub fn forget_scopes(&mut self) {
        self.room().forget_scopes(&mut self.code);
    }

    /// Copies each variable in `names` into its holder (`holder(name)`), an unexported shell
    /// variable: the value never leaves the shell, and no child process sees the copy.
    pub fn hold(&mut self, names: &[&str], holder: impl Fn(&str) -> String) -> Result<(), Error> {
        let names = self::names(names.iter().copied())?;
        let holders = holders(&names, holder)?;
        self.room().hold(&mut self.code, &names, &holders);
        Ok(())
    }

    /// Restores `names` from their holders and exports `with` (values that only make sense
    /// with them, e.g. the access key id of a held secret key) when every holder is there;
    /// otherwise (a child shell has none of its parent's) unsets them all and prints
    /// `warning` on stderr. Then removes the holders. No secret is printed: the values are
    /// read back from the shell's own variables.
    pub fn restore_held(
        &mut self,
        names: &[&str],
        with: &[(&str, &str)],
        holder: impl Fn(&str) -> String,
        warning: &str,
    ) -> Result<(), Error> {
        let names = self::names(names.iter().copied())?;
        let holders = holders(&names, holder)?;
        if names.is_empty() {
            return Ok(());
        }
        let with = with
            .iter()
            .map(|(n, v)| {
                let n = VarName::new(n)?;
                no_nul(&n, v)?;
                Ok((n, *v))
            })
            .collect::<Result<Vec<_>, Error>>()?;
        self.room()
            .restore_held(&mut self.code, &names, &holders, &with, warning);
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
        let argv: Vec<&str> = std::iter::once(exe)
            .chain(args.iter().map(String::as_str))
            .collect();
        self.room()
            .rerun(&mut self.code, &argv, names, &holders, &rerun_var);
        Ok(())
    }

    pub fn holds_secrets(&self) -> bool {
        self.secret
    }

    pub fn is_empty(&self) -> bool {
        self.code.as_str().is_empty()
    }

    pub fn into_string(self) -> String {
        self.code.into_string()
    }

    pub fn as_str(&self) -> &str {
        self.code.as_str()
    }
}

fn no_nul(name: &VarName, value: &str) -> Result<(), Error> {
    if value.contains('\0') {
        return Err(Error::Usage(format!(
            "the value for {name} contains a NUL byte, which no environment variable can hold"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn var_names() {
        assert!(VarName::new("AWS_REGION").is_ok());
        assert!(VarName::new("_x1").is_ok());
        for bad in ["", "1A", "A-B", "A B", "A;rm", "Ä", "A=B", "$(x)"] {
            assert!(VarName::new(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn scripts_per_shell() {
        let mut s = Script::new(Shell::Bash);
        s.export("A", "x y").unwrap();
        s.unset(["B", "C"]).unwrap();
        assert_eq!(s.as_str(), "export A='x y';\nunset B C;\n");

        let mut s = Script::new(Shell::Fish);
        s.export("A", "x y").unwrap();
        s.unset(["B"]).unwrap();
        assert_eq!(
            s.as_str(),
            "set -gx A 'x y';\nif set -qg B; set -eg B; end;\n"
        );

        let mut s = Script::new(Shell::Powershell);
        s.export_secret("A", "x'y").unwrap();
        s.unset(["B"]).unwrap();
        assert_eq!(
            s.as_str(),
            "$env:A = 'x''y';\nRemove-Item -LiteralPath Env:B -ErrorAction SilentlyContinue;\n"
        );
        assert!(s.holds_secrets());
    }

    #[test]
    fn fish_scopes_exact() {
        let mut s = Script::new(Shell::Fish);
        s.remember_scopes(&["A", "B"]).unwrap();
        s.hide(["P"]).unwrap();
        s.restore("A", "x y", false).unwrap();
        s.restore_var("S", "__awsenv_saved_S").unwrap();
        s.forget_scopes();
        let text = s.as_str();
        let expected = [
            "set -g __awsenv_globals;",
            "if set -qg A; set -ga __awsenv_globals A; end;",
            "if set -qg B; set -ga __awsenv_globals B; end;",
            "if set -qg P; set -eg P; end;",
        ];
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[..4], expected);
        assert!(lines[4].starts_with("if set -qUx P; printf '%s\\n' 'awsenv: P is a universal"));
        assert!(lines[4].ends_with("' >&2; end;"));
        assert_eq!(
            lines[5..],
            [
                "if not set -q __awsenv_globals; or contains -- A $__awsenv_globals; set -gx A 'x y'; else if set -qg A; set -eg A; end;",
                "if not set -q __awsenv_globals; or contains -- S $__awsenv_globals; set -gx S $__awsenv_saved_S; else if set -qg S; set -eg S; end;",
                "if set -qg __awsenv_globals; set -eg __awsenv_globals; end;",
            ]
        );
        assert!(!s.holds_secrets());
    }

    #[test]
    fn scopes_are_fish_only() {
        for shell in [Shell::Bash, Shell::Zsh, Shell::Powershell] {
            let mut s = Script::new(shell);
            s.remember_scopes(&["A"]).unwrap();
            s.forget_scopes();
            assert!(s.is_empty(), "{shell}");
            s.hide(["P"]).unwrap();
            s.restore("A", "v", true).unwrap();
            s.restore_var("S", "H").unwrap();
            assert!(s.holds_secrets());
            let want = match shell {
                Shell::Powershell => {
                    "Remove-Item -LiteralPath Env:P -ErrorAction SilentlyContinue;\n$env:A = 'v';\n$env:S = $global:H;\n"
                }
                _ => "unset P;\nexport A=v;\nexport S=\"$H\";\n",
            };
            assert_eq!(s.as_str(), want, "{shell}");
        }
    }

    #[test]
    fn nu_record_last_change_wins() {
        let mut s = Script::new(Shell::Nu);
        s.unset(["A", "B"]).unwrap();
        s.export("A", "x").unwrap();
        assert_eq!(s.as_str(), "{\n  \"B\": null\n  \"A\": r#'x'#\n}\n");
    }

    #[test]
    fn nul_is_refused() {
        let mut s = Script::new(Shell::Zsh);
        assert!(s.export("A", "a\0b").is_err());
        assert!(s.restore("A", "a\0b", false).is_err());
        assert!(s.is_empty());
    }

    /// One test per shell for a behaviour, compared byte for byte: `per_shell!(behaviour:
    /// bash => "…", …)` makes `behaviour::bash` and so on, each asserting that
    /// `behaviour(Shell)` writes exactly that.
    macro_rules! per_shell {
        ($behaviour:ident: $($shell:ident => $want:expr),+ $(,)?) => {
            mod $behaviour {
                $(
                    #[test]
                    fn $shell() {
                        let shell = crate::shell::Shell::from_program(stringify!($shell)).unwrap();
                        assert_eq!(super::$behaviour(shell), $want);
                    }
                )+
            }
        };
    }

    fn holder(n: &str) -> String {
        format!("H_{n}")
    }

    fn exports_and_unsets(shell: Shell) -> String {
        let mut s = Script::new(shell);
        s.export_secret("A", "it's $x").unwrap();
        s.unset(["B", "C"]).unwrap();
        s.into_string()
    }

    fn holds(shell: Shell) -> String {
        let mut s = Script::new(shell);
        s.hold(&["S", "T"], holder).unwrap();
        s.into_string()
    }

    fn restores_held(shell: Shell) -> String {
        let mut s = Script::new(shell);
        s.restore_held(&["S"], &[("K", "k")], holder, "w").unwrap();
        s.into_string()
    }

    fn reruns(shell: Shell) -> String {
        let mut s = Script::new(shell);
        let args = ["assume".to_string(), "r".to_string()];
        s.rerun("/bin/awsenv", &args, &["S"], holder, "RR").unwrap();
        s.into_string()
    }

    // The same calls in every shell, PowerShell and nushell included: the code each writes.
    per_shell! {
        exports_and_unsets:
        bash => "export A='it'\\''s $x';\nunset B C;\n",
        zsh => "export A='it'\\''s $x';\nunset B C;\n",
        fish => "set -gx A 'it\\'s $x';\nif set -qg B; set -eg B; end;\nif set -qg C; set -eg C; end;\n",
        powershell => "$env:A = 'it''s $x';\nRemove-Item -LiteralPath Env:B -ErrorAction SilentlyContinue;\nRemove-Item -LiteralPath Env:C -ErrorAction SilentlyContinue;\n",
        nu => "{\n  \"A\": r#'it's $x'#\n  \"B\": null\n  \"C\": null\n}\n",
    }
    per_shell! {
        holds:
        bash => "H_S=\"${S-}\"; export -n H_S;\nH_T=\"${T-}\"; export -n H_T;\n",
        zsh => "typeset -g H_S=\"${S-}\"; typeset -g +x H_S;\ntypeset -g H_T=\"${T-}\"; typeset -g +x H_T;\n",
        fish => "set -gu H_S $S;\nset -gu H_T $T;\n",
        powershell => "$global:H_S = $env:S;\n$global:H_T = $env:T;\n",
        nu => "{\n  \"awsenv:hold\": [r#'S'#, r#'T'#]\n}\n",
    }
    per_shell! {
        restores_held:
        bash => "if [ -n \"${H_S+x}\" ]; then\nexport K=k;\nexport S=\"$H_S\";\nelse\nunset K S;\nprintf '%s\\n' w >&2;\nfi;\nunset H_S;\n",
        zsh => "if [ -n \"${H_S+x}\" ]; then\nexport K=k;\nexport S=\"$H_S\";\nelse\nunset K S;\nprintf '%s\\n' w >&2;\nfi;\nunset H_S;\n",
        fish => "if set -q H_S\nif not set -q __awsenv_globals; or contains -- K $__awsenv_globals; set -gx K 'k'; else if set -qg K; set -eg K; end;\nif not set -q __awsenv_globals; or contains -- S $__awsenv_globals; set -gx S $H_S; else if set -qg S; set -eg S; end;\nelse\nif set -qg K; set -eg K; end;\nif set -qg S; set -eg S; end;\nprintf '%s\\n' 'w' >&2;\nend;\nset -qg H_S; and set -eg H_S;\n",
        powershell => "if ((Test-Path Variable:global:H_S)) {\n$env:K = 'k';\n$env:S = $global:H_S;\n} else {\nRemove-Item -LiteralPath Env:K -ErrorAction SilentlyContinue;\nRemove-Item -LiteralPath Env:S -ErrorAction SilentlyContinue;\n[Console]::Error.WriteLine('w');\n}\nRemove-Variable -Name H_S -Scope Global -ErrorAction SilentlyContinue;\n",
        nu => "{\n  \"awsenv:restore\": {names: [r#'S'#], with: {\"K\": r#'k'#}, warning: r#'w'#}\n}\n",
    }
    per_shell! {
        reruns:
        bash => "if __awsenv_out=$([ -n \"${H_S+x}\" ] && export H_S; RR=1 exec /bin/awsenv assume r); then eval \"$__awsenv_out\"; unset __awsenv_out; else __awsenv_rc=$?; unset __awsenv_out; eval \"unset __awsenv_rc; (exit $__awsenv_rc)\"; fi;\n",
        zsh => "if __awsenv_out=$([ -n \"${H_S+x}\" ] && export H_S; RR=1 exec /bin/awsenv assume r); then eval \"$__awsenv_out\"; unset __awsenv_out; else __awsenv_rc=$?; unset __awsenv_out; eval \"unset __awsenv_rc; (exit $__awsenv_rc)\"; fi;\n",
        fish => "function __awsenv_rc; return $argv[1]; end;\nset -l __awsenv_out (begin; set -lx RR 1; set -q H_S; and set -lx H_S $H_S; '/bin/awsenv' 'assume' 'r'; or echo __awsenv_rc $status; end | string collect);\neval $__awsenv_out;\n",
        powershell => "foreach ($__awsenv_n in @('H_S')) { if (Test-Path \"Variable:global:$__awsenv_n\") { Set-Item -LiteralPath \"Env:$__awsenv_n\" -Value (Get-Variable -Name $__awsenv_n -Scope Global -ValueOnly) } }\n$env:RR = '1';\ntry { $__awsenv_out = & '/bin/awsenv' 'assume' 'r' | Out-String } finally { Remove-Item -LiteralPath 'Env:RR', 'Env:H_S' -ErrorAction SilentlyContinue }\nif ($LASTEXITCODE -eq 0) { Invoke-Expression $__awsenv_out }\n",
        nu => "{\n  \"awsenv:rerun\": {argv: [r#'/bin/awsenv'#, r#'assume'#, r#'r'#], env: {\"S\": r#'H_S'#}, var: r#'RR'#}\n}\n",
    }
}
