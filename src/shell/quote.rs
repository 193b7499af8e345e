//! Quoting per shell: a literal each shell reads back as exactly the value. Each has traps.

/// bash and zsh. `unix::escape`, not `shell_escape::escape`: the latter switches to cmd.exe
/// rules when awsenv is built for Windows, yet the code is still read by bash or zsh.
pub fn posix(value: &str) -> String {
    if value.is_empty() {
        return "''".to_string();
    }
    let escaped = shell_escape::unix::escape(value.into());
    // `escape` leaves `[A-Za-z0-9_=/,.+-]+` bare, but zsh expands a word that starts with `=`
    // (`=ls` is the path of ls), also in an assignment's value: such a value is quoted too (it
    // holds no quote to escape).
    if escaped.starts_with('=') {
        format!("'{escaped}'")
    } else {
        escaped.into_owned()
    }
}

/// fish treats `\\` and `\'` as escapes even inside single quotes; nothing else is special
/// there, newlines included.
pub fn fish(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    for c in value.chars() {
        if c == '\\' || c == '\'' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('\'');
    out
}

/// PowerShell ends a single-quoted string at `'` and at U+2018..U+201B alike; a doubled quote
/// character of any of these kinds stands for the second one.
pub fn powershell(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    for c in value.chars() {
        if is_powershell_single_quote(c) {
            out.push(c);
        }
        out.push(c);
    }
    out.push('\'');
    out
}

/// A nushell raw string `r#'…'#`: nothing inside is special, and it ends at the first `'`
/// followed by as many `#` as it opened with. One more `#` than the longest run after any `'`
/// in the value can never occur inside it. nushell 0.108 starts that search at the opening
/// quote itself (`r#'#a'#` does not parse), so the `#`s the value starts with count as a run
/// too. Raw strings are also NUON, so `from nuon` reads the record as nushell would.
pub fn nu(value: &str) -> String {
    let mut longest = 0;
    let mut run: Option<usize> = Some(0);
    for c in value.chars() {
        run = match (c, run) {
            ('\'', _) => Some(0),
            ('#', Some(n)) => Some(n + 1),
            _ => None,
        };
        if let Some(n) = run {
            longest = longest.max(n);
        }
    }
    let hashes = "#".repeat(longest + 1);
    format!("r{hashes}'{value}'{hashes}")
}

pub fn is_powershell_single_quote(c: char) -> bool {
    matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}')
}
