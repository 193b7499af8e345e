# awsenv shell integration for nushell. nushell reads code only from files known when it
# parses, so save it once and source it from config.nu:
#   awsenv init nu | save -f ($nu.default-config-dir | path join awsenv.nu)
#   source ($nu.default-config-dir | path join awsenv.nu)      # in config.nu
# It defines sudo-on, sudo-off, awsenv-apply, awsenv_prompt and a pre_prompt hook (with
# AWSENV_WARN_BEFORE / AWSENV_AUTO_REFRESH, as in the other shells); it edits no file. Needs
# nushell 0.106 or newer (`get -o`; `job spawn` is from 0.103); tested with 0.108.
# Names shared with awsenv are written __AWSENV_<KEY>__ here; `awsenv init` fills them in.

const __awsenv_bin = '@AWSENV_BIN@'

# `awsenv doctor` reads this to tell whether the integration is loaded in the shell it runs in.
$env.__AWSENV_INIT__ = $"nu:($nu.pid)"

# Applies what `awsenv … --shell nu` printed: a record where a string sets a variable and null
# removes it. nushell has no eval; this is the whole of what the output means. Three keys no
# variable can have stand for what the other shells do in code (see src/shell/nu.rs):
# __AWSENV_NU_HOLD__ keeps the named secrets in $env.__awsenv_held, a record, which nushell never
# passes to a child process; __AWSENV_NU_RESTORE__ puts them back; __AWSENV_NU_RERUN__ runs awsenv again with
# them in its environment when it needs them.
def --env awsenv-apply [out?: string] {
    let text = if $out == null { $in } else { $out }
    __awsenv_load $text false | ignore
}

# awsenv-apply's work; true when it applied something. `quiet` (the prompt hook): nothing is
# printed, and a rerun that fails applies nothing and is no error.
def --env __awsenv_load [text, quiet: bool] {
    if ($text | is-empty) { return false }
    let r = ($text | from nuon)
    let held = ($env.__awsenv_held? | default {})
    let hold = ($r | get -o '__AWSENV_NU_HOLD__' | default [])
    if ($hold | is-not-empty) {
        $env.__awsenv_held = ($hold | reduce -f {} {|n, acc| $acc | insert $n ($env | get -o $n | default '') })
    }
    let vars = ($r | reject -o '__AWSENV_NU_HOLD__' '__AWSENV_NU_RESTORE__' '__AWSENV_NU_RERUN__')
    let drop = ($vars | transpose k v | where v == null | get k)
    hide-env -i ...$drop
    load-env ($vars | reject ...$drop)
    let restore = ($r | get -o '__AWSENV_NU_RESTORE__')
    if $restore != null {
        if ($restore.names | all {|n| $n in $held }) {
            load-env ($restore.with | merge ($held | select ...$restore.names))
        } else {
            hide-env -i ...($restore.names ++ ($restore.with | columns))
            if not $quiet { print -e $restore.warning }
        }
        hide-env -i __awsenv_held
    }
    let rerun = ($r | get -o '__AWSENV_NU_RERUN__')
    if $rerun == null { return true }
    let given = ($rerun.env | transpose n h | where {|x| $x.n in $held })
    let extra = ($given | reduce -f {($rerun.var): '1'} {|x, acc| $acc | insert $x.h ($held | get $x.n) })
    if $quiet {
        let again = (__awsenv_capture $rerun.argv $extra)
        if $again.exit_code != 0 { return false }
        return (__awsenv_load $again.stdout true)
    }
    let again = (with-env $extra { ^($rerun.argv.0) ...($rerun.argv | skip 1) })
    __awsenv_load $again false
}

# Runs argv with `vars` added to its environment (never to its arguments), nothing on its stdin
# and its stdout and stderr captured: `complete`'s record, and never an error (a program that
# cannot start is exit code 127).
def __awsenv_capture [argv: list<string>, vars: record] {
    try {
        with-env $vars { '' | ^($argv.0) ...($argv | skip 1) | complete }
    } catch {
        {stdout: '', stderr: '', exit_code: 127}
    }
}

# Runs awsenv; its stdout is returned, its stderr goes to the terminal. A failure stops the
# caller before anything is applied, with awsenv's exit status in $env.LAST_EXIT_CODE. Under
# __AWSENV_WRAPPER__=1 awsenv prints only its own code on stdout (help, version and text go to
# stderr), so nothing else reaches awsenv-apply.
def __awsenv_run [args: list<string>] {
    with-env {__AWSENV_WRAPPER__: '1'} { ^$__awsenv_bin ...$args }
}

# awsenv's arguments for sudo-on's (ROLE [assume options...] or --simulate TARGET [options...]),
# with the options `more` added.
def __awsenv_call [full: list<string>, more: list<string> = []] {
    if $full.0 == '--simulate' {
        ['simulate' '--shell' 'nu' '--role-name' $full.1] ++ ($full | skip 2) ++ $more
    } else {
        ['assume' '--shell' 'nu'] ++ ($full | skip 1) ++ $more ++ ['--' $full.0]
    }
}

# sudo-on [ROLE] [assume options...]
# sudo-on --simulate TARGET --base-role BASE [options...]
def --env --wrapped sudo-on [...args: string] {
    if ($args | is-not-empty) and ($args.0 == '--simulate') {
        if ($args | length) < 2 {
            error make -u {msg: 'sudo-on: --simulate needs the role to act as: sudo-on --simulate ROLE --base-role BASE'}
        }
        let out = (__awsenv_run (__awsenv_call $args))
        if (__awsenv_load $out false) { $env.__AWSENV_LAST = ($args | to nuon) }
        return
    }
    let last = ($env.__AWSENV_LAST? | default '[]' | from nuon)
    let full = if ($args | is-not-empty) and not ($args.0 | str starts-with '-') {
        $args
    } else if ($env.AWSENV_DEFAULT_ROLE? | default '' | is-not-empty) {
        [$env.AWSENV_DEFAULT_ROLE] ++ $args
    } else if ($last | is-not-empty) {
        $last ++ $args
    } else {
        # No role anywhere: awsenv opens its picker on the terminal.
        [''] ++ $args
    }
    if $full.0 == '--simulate' {
        sudo-on ...$full
        return
    }
    let out = (__awsenv_run (__awsenv_call $full))
    # Remembered (for a bare sudo-on and the hook's refresh) only when something was applied:
    # not a --dry-run, whose JSON went to stderr.
    # A picked role is not known here: the next bare sudo-on picks again (that role first).
    if (__awsenv_load $out false) and ($full.0 != '') { $env.__AWSENV_LAST = ($full | to nuon) }
}

# Restores the AWS environment from before sudo-on.
def --env --wrapped sudo-off [...args: string] {
    awsenv-apply (__awsenv_run (['unset' '--shell' 'nu'] ++ $args))
}

# The epoch time, from nushell's clock (no process).
def __awsenv_now [] {
    (date now | into int) // 1_000_000_000
}

# The variable `name` as an integer; `fallback` when it is unset, empty or not a number.
def __awsenv_int [name: string, fallback: int] {
    let v = ($env | get -o $name | default '')
    if ($v | is-empty) { return $fallback }
    try { $v | into int } catch { $fallback }
}

# True while the credential endpoint that __AWSENV_SERVER__ names runs. A marker left behind
# (its endpoint stopped, or the parent shell that owned it ended) is not a served role: the
# prompt then counts down as for keys, and the hook warns. /proc where there is one, else ps.
def __awsenv_served [] {
    let marker = ($env.__AWSENV_SERVER__? | default '')
    if ($marker | is-empty) { return false }
    let pid = (try { $marker | from json | get -o pid } catch { null })
    if ($pid | describe) != 'int' { return false }
    if ('/proc/self' | path exists) {
        $"/proc/($pid)" | path exists
    } else {
        ps | where pid == $pid | is-not-empty
    }
}

# The segment for the active role, e.g. "aws:my-role 42m", from the environment alone (no
# process, no file). Settings as in the other shells: AWSENV_PROMPT_FORMAT ("%r" role, "%t"
# time left; default "aws:%r %t"), AWSENV_PROMPT_COLOR / AWSENV_PROMPT_EXPIRED_COLOR (SGR codes).
# Default prompt:  $env.PROMPT_COMMAND_RIGHT = {|| awsenv_prompt }
def awsenv_prompt [] {
    let role = ($env.__AWSENV_ROLE__? | default '')
    if ($role | is-empty) { return '' }
    let now = (__awsenv_now)
    let left = ((__awsenv_int __AWSENV_EXPIRES_AT__ 0) - $now)
    # The credential endpoint renews the session: there is no end to count down to.
    let served = (__awsenv_served)
    let expired = (not $served) and $left <= 0
    let t = if $served {
        'served'
    } else if $expired {
        'expired'
    } else {
        let mins = (($left + 59) // 60)
        if $mins >= 60 { $"($mins // 60)h($mins mod 60)m" } else { $"($mins)m" }
    }
    let label = if ($env.__AWSENV_SIMULATED_BY__? | default '' | is-empty) { $role } else { $"($role)\(sim)" }
    let fmt = ($env.AWSENV_PROMPT_FORMAT? | default 'aws:%r %t')
    let seg = ($fmt | str replace -a '%r' $label | str replace -a '%t' $t)
    let color = if $expired { $env.AWSENV_PROMPT_EXPIRED_COLOR? } else { $env.AWSENV_PROMPT_COLOR? }
    if ($color | default '' | is-empty) { $seg } else { $"(ansi -e $'($color)m')($seg)(ansi reset)" }
}

# The hook's own state, in a record (nushell passes no record to a child process): `warned` and
# `refreshing` (the session key, __AWSENV_SESSION_ARN__@__AWSENV_EXPIRES_AT__, last warned about and
# last refreshed), `refresh_at` (when that refresh started) and `touched` (the expiry the direnv
# refresh file was last written for). Loading this file again keeps it.

# Near the end of a session: warns once, or with AWSENV_AUTO_REFRESH=1 renews it. A prompt
# never waits on the network: the new session is fetched into awsenv's cache by a background
# job (`job spawn`: a thread of this nu, whose awsenv never takes the terminal), and a later
# prompt applies it with --cache-only, which cannot touch the network.
def --env __awsenv_expiring [] {
    let now = (__awsenv_now)
    let left = ((__awsenv_int __AWSENV_EXPIRES_AT__ 0) - $now)
    let before = (__awsenv_int AWSENV_WARN_BEFORE 300)
    if $left > $before { return }
    let key = $"($env.__AWSENV_SESSION_ARN__? | default '')@($env.__AWSENV_EXPIRES_AT__? | default '')"
    let st = ($env.__awsenv_state? | default {})
    let last = (try { $env.__AWSENV_LAST? | default '[]' | from nuon } catch { [] })
    if ($env.AWSENV_AUTO_REFRESH? == '1') and ($last | is-not-empty) {
        let ttl = ['--min-ttl' ($before + 60 | into string)]
        # A miss (exit 14) is the usual answer until the background job is done.
        if (__awsenv_apply_quiet (__awsenv_call $last (['--cache-only'] ++ $ttl))) { return }
        if $st.refreshing? != $key {
            $env.__awsenv_state = ($st | upsert refreshing $key | upsert refresh_at $now)
            # The job has a copy of this environment, the held secrets with it: a fetch that
            # needs them runs awsenv again with them in its environment (__AWSENV_NU_RERUN__), as
            # sudo-on does. What it applies dies with the job; only the cache keeps the session.
            let call = (__awsenv_call $last $ttl)
            job spawn -t awsenv-refresh {
                with-env {__AWSENV_NO_PROMPT__: '1'} { __awsenv_apply_quiet $call } | ignore
            } | ignore
            return
        }
        # Quiet while the fetch may still be running (awsenv bounds it to 25 s by default);
        # after a minute it has failed, and the warning below says the session will end.
        if $now < (($st.refresh_at? | default 0) + 60) { return }
    }
    if $st.warned? != $key {
        $env.__awsenv_state = ($env.__awsenv_state? | default {} | upsert warned $key)
        let role = ($env.__AWSENV_ROLE__? | default '')
        if $left > 0 {
            print -e $"awsenv: ($role) expires in (($left + 59) // 60)m; run sudo-on to renew"
        } else {
            print -e $"awsenv: ($role) has expired; run sudo-on to renew or sudo-off"
        }
    }
}

# Runs awsenv with `call` (__AWSENV_WRAPPER__=1) and applies what it printed, saying nothing and
# failing quietly. True when something was applied.
def --env __awsenv_apply_quiet [call: list<string>] {
    let r = (__awsenv_capture ([$__awsenv_bin] ++ $call) {__AWSENV_WRAPPER__: '1'})
    if $r.exit_code != 0 { return false }
    __awsenv_load $r.stdout true
}

# direnv (`use awsenv`; nushell loads direnv with `direnv export json | from json | default {} |
# load-env` in a hook of its own) reloads when AWSENV_REFRESH_FILE changes: written once per
# session, AWSENV_REFRESH_BEFORE seconds (default 300) before it ends, with `save` (no process).
def --env __awsenv_direnv_refresh [] {
    let file = ($env.AWSENV_REFRESH_FILE? | default '')
    let at = ($env.__AWSENV_EXPIRES_AT__? | default '')
    if ($file | is-empty) or ($at | is-empty) { return }
    let st = ($env.__awsenv_state? | default {})
    if $st.touched? == $at { return }
    let now = (__awsenv_now)
    if (__awsenv_int __AWSENV_EXPIRES_AT__ 0) - $now <= (__awsenv_int AWSENV_REFRESH_BEFORE 300) {
        $env.__awsenv_state = ($st | upsert touched $at)
        try { $"($now)\n" | save -f $file }
    }
}

# Runs before each prompt. Opt-in: AWSENV_WARN_BEFORE=SECONDS warns once per session that it
# is about to expire; AWSENV_AUTO_REFRESH=1 renews the session at that point (default 300 s
# before). It leaves $env.LAST_EXIT_CODE as it was: its one process runs in __awsenv_capture,
# which cannot change the caller's environment.
def --env __awsenv_hook [] {
    __awsenv_direnv_refresh
    let on = ($env.AWSENV_WARN_BEFORE? | default '' | is-not-empty) or ($env.AWSENV_AUTO_REFRESH? == '1')
    if $on and ($env.__AWSENV_ROLE__? | default '' | is-not-empty) and not (__awsenv_served) {
        __awsenv_expiring
    }
}

# First among the pre_prompt hooks, so that a direnv hook after it sees the refresh file in the
# same prompt. Once: loading this file again replaces the hook an earlier load added (found by
# its source) instead of adding another. Source this file after any line of config.nu that
# sets $env.config.hooks whole.
$env.config.hooks.pre_prompt = (
    [{|| __awsenv_hook }]
    ++ ($env.config.hooks.pre_prompt? | default [] | where {|h|
        ($h | describe) != 'closure' or (view source $h) != '{|| __awsenv_hook }'
    })
)
