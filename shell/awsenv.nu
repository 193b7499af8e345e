# awsenv shell integration for nushell. nushell reads code only from files known when it
# parses, so save it once and source it from config.nu:
#   awsenv init nu | save -f ($nu.default-config-dir | path join awsenv.nu)
#   source ($nu.default-config-dir | path join awsenv.nu)      # in config.nu
# It defines sudo-on, sudo-off, awsenv-apply and awsenv_prompt; it edits no file.

const __awsenv_bin = '@AWSENV_BIN@'

# `awsenv doctor` reads this to tell whether the integration is loaded in the shell it runs in.
$env.AWSENV_INIT = $"nu:($nu.pid)"

# Applies what `awsenv … --shell nu` printed: a record where a string sets a variable and null
# removes it. nushell has no eval; this is the whole of what the output means. Three keys no
# variable can have stand for what the other shells do in code (see src/shell/nu.rs):
# awsenv:hold keeps the named secrets in $env.__awsenv_held, a record, which nushell never
# passes to a child process; awsenv:restore puts them back; awsenv:rerun runs awsenv again with
# them in its environment when it needs them.
def --env awsenv-apply [out?: string] {
    let text = if $out == null { $in } else { $out }
    if ($text | is-empty) { return }
    let r = ($text | from nuon)
    let held = ($env.__awsenv_held? | default {})
    let hold = ($r | get -o 'awsenv:hold' | default [])
    if ($hold | is-not-empty) {
        $env.__awsenv_held = ($hold | reduce -f {} {|n, acc| $acc | insert $n ($env | get -o $n | default '') })
    }
    let vars = ($r | reject -o 'awsenv:hold' 'awsenv:restore' 'awsenv:rerun')
    let drop = ($vars | transpose k v | where v == null | get k)
    hide-env -i ...$drop
    load-env ($vars | reject ...$drop)
    let restore = ($r | get -o 'awsenv:restore')
    if $restore != null {
        if ($restore.names | all {|n| $n in $held }) {
            load-env ($restore.with | merge ($held | select ...$restore.names))
        } else {
            hide-env -i ...($restore.names ++ ($restore.with | columns))
            print -e $restore.warning
        }
        hide-env -i __awsenv_held
    }
    let rerun = ($r | get -o 'awsenv:rerun')
    if $rerun != null {
        let given = ($rerun.env | transpose n h | where {|x| $x.n in $held })
        let extra = ($given | reduce -f {($rerun.var): '1'} {|x, acc| $acc | insert $x.h ($held | get $x.n) })
        let again = (with-env $extra { ^($rerun.argv.0) ...($rerun.argv | skip 1) })
        awsenv-apply $again
    }
}

# Runs awsenv; its stdout is returned, its stderr goes to the terminal. A failure stops the
# caller before anything is applied, with awsenv's exit status in $env.LAST_EXIT_CODE. Under
# AWSENV_WRAPPER=1 awsenv prints only its own code on stdout (help, version and text go to
# stderr), so nothing else reaches awsenv-apply.
def __awsenv_run [args: list<string>] {
    with-env {AWSENV_WRAPPER: '1'} { ^$__awsenv_bin ...$args }
}

# sudo-on [ROLE] [assume options...]
# sudo-on --simulate TARGET --base-role BASE [options...]
def --env --wrapped sudo-on [...args: string] {
    if ($args | is-not-empty) and ($args.0 == '--simulate') {
        if ($args | length) < 2 {
            error make -u {msg: 'sudo-on: --simulate needs the role to act as: sudo-on --simulate ROLE --base-role BASE'}
        }
        let out = (__awsenv_run (['simulate' '--shell' 'nu' '--role-name' $args.1] ++ ($args | skip 2)))
        awsenv-apply $out
        $env.__AWSENV_LAST = ($args | to nuon)
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
        error make -u {msg: "sudo-on: which role? Run 'sudo-on ROLE', or set AWSENV_DEFAULT_ROLE."}
    }
    if $full.0 == '--simulate' {
        sudo-on ...$full
        return
    }
    let out = (__awsenv_run (['assume' '--shell' 'nu'] ++ ($full | skip 1) ++ ['--' $full.0]))
    awsenv-apply $out
    $env.__AWSENV_LAST = ($full | to nuon)
}

# Restores the AWS environment from before sudo-on.
def --env --wrapped sudo-off [...args: string] {
    awsenv-apply (__awsenv_run (['unset' '--shell' 'nu'] ++ $args))
}

# The segment for the active role, e.g. "aws:my-role 42m", from the environment alone (no
# process, no file). Settings as in the other shells: AWSENV_PROMPT_FORMAT ("%r" role, "%t"
# time left; default "aws:%r %t"), AWSENV_PROMPT_COLOR / AWSENV_PROMPT_EXPIRED_COLOR (SGR codes).
# Default prompt:  $env.PROMPT_COMMAND_RIGHT = {|| awsenv_prompt }
def awsenv_prompt [] {
    let role = ($env.AWSENV_ROLE? | default '')
    if ($role | is-empty) { return '' }
    let now = ((date now | into int) // 1_000_000_000)
    let left = (($env.AWSENV_EXPIRES_AT? | default '0' | into int) - $now)
    let expired = $left <= 0
    let t = if $expired {
        'expired'
    } else {
        let mins = (($left + 59) // 60)
        if $mins >= 60 { $"($mins // 60)h($mins mod 60)m" } else { $"($mins)m" }
    }
    let label = if ($env.AWSENV_SIMULATED_BY? | default '' | is-empty) { $role } else { $"($role)\(sim)" }
    let fmt = ($env.AWSENV_PROMPT_FORMAT? | default 'aws:%r %t')
    let seg = ($fmt | str replace -a '%r' $label | str replace -a '%t' $t)
    let color = if $expired { $env.AWSENV_PROMPT_EXPIRED_COLOR? } else { $env.AWSENV_PROMPT_COLOR? }
    if ($color | default '' | is-empty) { $seg } else { $"(ansi -e $'($color)m')($seg)(ansi reset)" }
}
