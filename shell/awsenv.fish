# awsenv shell integration for fish (3.1 and later). Load it from ~/.config/fish/config.fish with:
#   awsenv init fish | source
# It defines sudo-on, sudo-off, awsenv_prompt and a prompt hook; it edits no file.
# Names shared with awsenv are written __AWSENV_<KEY>__ here; `awsenv init` fills them in.

set -g __awsenv_bin '@AWSENV_BIN@'
# `awsenv doctor` reads this to tell whether the integration is loaded in the shell it runs in.
set -gx __AWSENV_INIT__ fish:$fish_pid
set -q __awsenv_last; or set -g __awsenv_last

# The clock, chosen once here from the version (tests force the old branch after init):
# `path mtime` reads it without a process from fish 3.5 on; before that only `date` can.
set -l __awsenv_v (string split . -- $version)
if test "$__awsenv_v[1]" -gt 3 2>/dev/null; or begin
        test "$__awsenv_v[1]" -eq 3 2>/dev/null; and test "$__awsenv_v[2]" -ge 5 2>/dev/null
    end
    set -g __awsenv_clock path
else
    set -g __awsenv_clock date
end

# __awsenv_apply [--quiet] ROLE [assume options...] | --simulate TARGET [options...]
# Runs awsenv and sources what it prints; returns 0 only when it sourced something (100: it
# printed nothing). Only awsenv's own shell code may be sourced: under __AWSENV_WRAPPER__=1
# awsenv sends anything else (help, version, JSON) to stderr. No pipeline, so no $pipestatus
# (fish 3.2): `set` returns the status of the command substitution. --quiet: awsenv's stderr
# goes nowhere (a redirection of the function call would not reach the substitution).
function __awsenv_apply
    set -l quiet
    if test "$argv[1]" = --quiet
        set quiet 1
        set -e argv[1]
    end
    set -l call assume --shell fish $argv[2..-1] -- $argv[1]
    if test "$argv[1]" = --simulate
        set call simulate --shell fish --role-name $argv[2] $argv[3..-1]
    end
    set -l out
    begin
        set -lx __AWSENV_WRAPPER__ 1
        if test -n "$quiet"
            set out (command $__awsenv_bin $call 2>/dev/null)
        else
            set out (command $__awsenv_bin $call)
        end
    end
    or return
    test (count $out) -gt 0; or return 100
    printf '%s\n' $out | source
end

# sudo-on [ROLE] [assume options...]
# sudo-on --simulate TARGET --base-role BASE [options...]
function sudo-on --description 'Assume an AWS role in this shell (awsenv)'
    set -l args $argv
    if test "$argv[1]" = --simulate
        if test (count $argv) -lt 2
            echo "sudo-on: --simulate needs the role to act as: sudo-on --simulate ROLE --base-role BASE" >&2
            return 2
        end
    else if test (count $argv) -gt 0; and not string match -q -- '-*' $argv[1]
        set args $argv
    else if set -q AWSENV_DEFAULT_ROLE; and test -n "$AWSENV_DEFAULT_ROLE"
        set args $AWSENV_DEFAULT_ROLE $argv
    else if test (count $__awsenv_last) -gt 0
        set args $__awsenv_last $argv
    else
        # No role anywhere: awsenv opens its picker on the terminal.
        set args "" $argv
    end
    if contains -- -- $args
        echo "sudo-on: puts a role into this shell and runs no command; to run one as a role use 'awsenv exec ROLE -- CMD' or 'awsenv simulate --role-name T --base-role B -- CMD'" >&2
        return 2
    end
    __awsenv_apply $args
    set -l rc $status
    # A picked role is not known here: the next bare sudo-on picks again (that role first).
    if test $rc -eq 0
        test -n "$args[1]"; and set -g __awsenv_last $args
    else if test $rc -ne 100
        return $rc
    end
    return 0
end

function sudo-off --description 'Restore the AWS environment from before sudo-on (awsenv)'
    set -l out
    begin
        set -lx __AWSENV_WRAPPER__ 1
        set out (command $__awsenv_bin unset --shell fish)
    end
    or return
    test (count $out) -eq 0; or printf '%s\n' $out | source
end

# The current time. `path mtime` is a builtin: a file's modification time plus its age is now.
function __awsenv_now
    if test $__awsenv_clock = path
        math (path mtime /) + (path mtime --relative /)
    else
        date +%s
    end
end

# True while the credential endpoint that __AWSENV_SERVER__ names runs. A marker left behind
# (its endpoint stopped, or the parent shell that owned it ended) is not a served role: the
# prompt then counts down as for keys, and the hook warns. /proc where there is one: fish has
# no kill builtin.
function __awsenv_served
    set -q __AWSENV_SERVER__; and test -n "$__AWSENV_SERVER__"; or return 1
    set -l pid (string match -r -- '"pid":[0-9]+' $__AWSENV_SERVER__ | string sub -s 7)
    test -n "$pid"; or return 1
    if test -d /proc/self
        test -d /proc/$pid
    else
        command kill -0 $pid 2>/dev/null
    end
end

# The segment for the active role, e.g. "aws:my-role 42m", from the environment alone.
# Settings: AWSENV_PROMPT_FORMAT ("%r" role, "%t" time left; default "aws:%r %t"),
# AWSENV_PROMPT_COLOR / AWSENV_PROMPT_EXPIRED_COLOR (ANSI SGR codes such as "33", "1;31").
function awsenv_prompt --description 'Print the active awsenv role and its time left'
    set -q __AWSENV_ROLE__; and test -n "$__AWSENV_ROLE__"; or return 0
    set -l expires 0
    set -q __AWSENV_EXPIRES_AT__; and set expires $__AWSENV_EXPIRES_AT__
    set -l left (math $expires - (__awsenv_now))
    set -l t
    set -l color
    if __awsenv_served
        # The credential endpoint renews the session: there is no end to count down to.
        set t served
        set -q AWSENV_PROMPT_COLOR; and set color $AWSENV_PROMPT_COLOR
    else if test $left -le 0
        set t expired
        set -q AWSENV_PROMPT_EXPIRED_COLOR; and set color $AWSENV_PROMPT_EXPIRED_COLOR
    else
        set -q AWSENV_PROMPT_COLOR; and set color $AWSENV_PROMPT_COLOR
        set -l mins (math -s0 "($left + 59) / 60")
        if test $mins -ge 60
            set t (math -s0 $mins / 60)h(math -s0 $mins % 60)m
        else
            set t {$mins}m
        end
    end
    set -l label $__AWSENV_ROLE__
    set -q __AWSENV_SIMULATED_BY__; and test -n "$__AWSENV_SIMULATED_BY__"; and set label "$label(sim)"
    set -l fmt 'aws:%r %t'
    set -q AWSENV_PROMPT_FORMAT; and set fmt $AWSENV_PROMPT_FORMAT
    set -l seg (string replace -a -- '%r' $label $fmt | string replace -a -- '%t' $t)
    if test -n "$color"
        printf '\e[%sm%s\e[0m' $color $seg
    else
        printf '%s' $seg
    end
end

# Fetches a new session into awsenv's cache without this prompt waiting for it. fish runs a
# function in the foreground even with `&`, so a child fish does sudo-on's work. It needs
# this shell's held values (unexported): they are exported for that one start and unexported
# again at once (no other process starts in between; a `set -lx` in a loop would end with
# the loop's block). Its exports die with it.
function __awsenv_refresh_in_background
    set -l call (string escape -- $__awsenv_bin) (string escape -- $argv)
    set -l apply (functions __awsenv_apply | string collect)
    set -l held (set --names | string match -- '__AWSENV_HOLDER_PREFIX__*')
    for h in $held
        set -gx $h $$h
    end
    begin
        set -lx __AWSENV_NO_PROMPT__ 1
        $__fish_bin_dir/fish --no-config -c "set -g __awsenv_bin $call[1]; $apply; __awsenv_apply $call[2..-1]" </dev/null >/dev/null 2>&1 &
        disown
    end
    for h in $held
        set -gu $h $$h
    end
end

# Near the end of a session: warns once, or with AWSENV_AUTO_REFRESH=1 renews it. A prompt
# never waits on the network: the new session is fetched in the background into awsenv's
# cache, and a later prompt applies it with --cache-only, which cannot touch the network.
function __awsenv_expiring
    set -l before 300
    set -q AWSENV_WARN_BEFORE; and set before $AWSENV_WARN_BEFORE
    set -l left (math $__AWSENV_EXPIRES_AT__ - (__awsenv_now))
    test $left -le $before; or return 0
    set -l key "$__AWSENV_SESSION_ARN__@$__AWSENV_EXPIRES_AT__"
    if test "$AWSENV_AUTO_REFRESH" = 1; and test (count $__awsenv_last) -gt 0
        # A miss (exit 14) is the usual answer until the background job is done.
        __awsenv_apply --quiet $__awsenv_last --cache-only --min-ttl (math $before + 60)
        and return 0
        set -l now (__awsenv_now)
        if test "$__awsenv_refreshing" != "$key"
            set -g __awsenv_refreshing $key
            set -g __awsenv_refresh_at $now
            __awsenv_refresh_in_background $__awsenv_last --min-ttl (math $before + 60)
            return 0
        end
        # Quiet while the fetch may still be running (awsenv bounds it to 25 s by default);
        # after a minute it has failed, and the warning below says the session will end.
        test $now -ge (math $__awsenv_refresh_at + 60); or return 0
    end
    if test "$__awsenv_warned" != "$key"
        set -g __awsenv_warned $key
        if test $left -gt 0
            echo "awsenv: $__AWSENV_ROLE__ expires in "(math -s0 "($left + 59) / 60")"m; run sudo-on to renew" >&2
        else
            echo "awsenv: $__AWSENV_ROLE__ has expired; run sudo-on to renew or sudo-off" >&2
        end
    end
end

# Opt-in: AWSENV_WARN_BEFORE=SECONDS warns once per session that it is about to expire;
# AWSENV_AUTO_REFRESH=1 renews the session at that point (default 300 s before).
# direnv (`use awsenv`) reloads when AWSENV_REFRESH_FILE changes: written once per session,
# AWSENV_REFRESH_BEFORE seconds (default 300) before it ends, by a builtin (no process).
function __awsenv_direnv_refresh
    set -q AWSENV_REFRESH_FILE; and set -q __AWSENV_EXPIRES_AT__; or return 0
    test "$__awsenv_touched" != "$__AWSENV_EXPIRES_AT__"; or return 0
    set -l before 300
    set -q AWSENV_REFRESH_BEFORE; and set before $AWSENV_REFRESH_BEFORE
    set -l now (__awsenv_now)
    if test (math $__AWSENV_EXPIRES_AT__ - $now) -le $before
        set -g __awsenv_touched $__AWSENV_EXPIRES_AT__
        echo $now >$AWSENV_REFRESH_FILE 2>/dev/null
    end
    return 0
end

function __awsenv_hook --on-event fish_prompt
    set -l exit_status $status
    __awsenv_direnv_refresh
    if set -q __AWSENV_ROLE__; and test -n "$__AWSENV_ROLE__"; and not __awsenv_served
        if set -q AWSENV_WARN_BEFORE; or test "$AWSENV_AUTO_REFRESH" = 1
            __awsenv_expiring
        end
    end
    return $exit_status
end
