//! PowerShell (pwsh 7). Its trap: a single-quoted string ends at `'` and at U+2018..U+201B
//! alike.

use crate::shell::code::{Code, ShellCode, VarName};

/// `awsenv init powershell`'s file, with its placeholders.
pub const INIT: &str = include_str!("../../shell/awsenv.ps1");

pub struct Powershell;

/// A doubled quote character of any of the kinds that end a single-quoted string stands for
/// the second one.
pub fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    for c in value.chars() {
        if is_single_quote(c) {
            out.push(c);
        }
        out.push(c);
    }
    out.push('\'');
    out
}

pub fn is_single_quote(c: char) -> bool {
    matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}')
}

impl ShellCode for Powershell {
    fn name(&self) -> &'static str {
        "powershell"
    }

    fn programs(&self) -> &'static [&'static str] {
        &["pwsh", "powershell", "pwsh-preview"]
    }

    fn quote(&self, value: &str) -> String {
        quote(value)
    }

    fn init_script(&self) -> &'static str {
        INIT
    }

    fn init_advice(&self) -> &'static str {
        "add `awsenv init powershell | Out-String | Invoke-Expression` to $PROFILE and open \
         a new shell"
    }

    fn export(&self, out: &mut Code, name: &VarName, value: &str) {
        out.push(&format!("$env:{name} = {};\n", quote(value)));
    }

    fn unset(&self, out: &mut Code, names: &[VarName]) {
        for n in names {
            out.push(&format!(
                "Remove-Item -LiteralPath Env:{n} -ErrorAction SilentlyContinue;\n"
            ));
        }
    }

    fn restore(&self, out: &mut Code, name: &VarName, value: &str) {
        out.push(&format!("$env:{name} = {value};\n"));
    }

    fn held_value(&self, holder: &VarName) -> Option<String> {
        Some(format!("$global:{holder}"))
    }

    fn hold(&self, out: &mut Code, names: &[VarName], holders: &[VarName]) {
        for (n, h) in names.iter().zip(holders) {
            out.push(&format!("$global:{h} = $env:{n};\n"));
        }
    }

    fn if_all_set(&self, holders: &[VarName]) -> String {
        let tests: Vec<String> = holders
            .iter()
            .map(|h| format!("(Test-Path Variable:global:{h})"))
            .collect();
        format!("if ({}) {{\n", tests.join(" -and "))
    }

    fn otherwise(&self) -> &'static str {
        "} else {\n"
    }

    fn end_if(&self) -> &'static str {
        "}\n"
    }

    fn warn(&self, message: &str) -> String {
        format!("[Console]::Error.WriteLine({message});\n")
    }

    fn drop_holders(&self, out: &mut Code, holders: &[VarName]) {
        for h in holders {
            out.push(&format!(
                "Remove-Variable -Name {h} -Scope Global -ErrorAction SilentlyContinue;\n"
            ));
        }
    }

    fn rerun(
        &self,
        out: &mut Code,
        argv: &[&str],
        _names: &[&str],
        holders: &[VarName],
        rerun_var: &VarName,
    ) {
        let argv: Vec<String> = argv.iter().map(|a| quote(a)).collect();
        let argv = argv.join(" ");
        let list: Vec<String> = holders.iter().map(|h| format!("'{h}'")).collect();
        // Quoted: a list of bare words is valid PowerShell, but quoted paths are unambiguous
        // to every reader (tree-sitter's grammar rejects the bare list).
        let envs: Vec<String> = holders.iter().map(|h| format!("'Env:{h}'")).collect();
        out.push(&format!(
            "foreach ($__awsenv_n in @({})) {{ if (Test-Path \"Variable:global:$__awsenv_n\") \
             {{ Set-Item -LiteralPath \"Env:$__awsenv_n\" -Value (Get-Variable -Name $__awsenv_n \
             -Scope Global -ValueOnly) }} }}\n$env:{rerun_var} = '1';\ntry {{ $__awsenv_out = & {argv} \
             | Out-String }} finally {{ Remove-Item -LiteralPath 'Env:{rerun_var}', {} -ErrorAction \
             SilentlyContinue }}\nif ($LASTEXITCODE -eq 0) {{ Invoke-Expression $__awsenv_out }}\n",
            list.join(", "),
            envs.join(", ")
        ));
    }
}
