# awsenv shell integration for fish. Load it from ~/.config/fish/config.fish with:
#   awsenv init fish | source
# It defines sudo-on, sudo-off, awsenv_prompt and a prompt hook; it edits no file.

set -g __awsenv_bin '@AWSENV_BIN@'
set -q __awsenv_last; or set -g __awsenv_last

# sudo-on [ROLE] [assume options...]
# sudo-on --simulate TARGET --base-role BASE [options...]
function sudo-on --description 'Assume an AWS role in this shell (awsenv)'
    set -l args $argv
    if test (count $argv) -gt 0; and test "$argv[1]" = --simulate
        if test (count $argv) -lt 2
            echo "sudo-on: --simulate needs the role to act as: sudo-on --simulate ROLE --base-role BASE" >&2
            return 2
        end
        set -l out (command $__awsenv_bin simulate --shell fish --role-name $argv[2] $argv[3..-1] | string collect)
        set -l rc $pipestatus[1]
        test $rc -eq 0; or return $rc
        echo $out | source; or return
        set -g __awsenv_last $args
        return 0
    end
    if test (count $argv) -gt 0; and not string match -q -- '-*' $argv[1]
        set args $argv
    else if set -q AWSENV_DEFAULT_ROLE; and test -n "$AWSENV_DEFAULT_ROLE"
        set args $AWSENV_DEFAULT_ROLE $argv
    else if test (count $__awsenv_last) -gt 0
        set args $__awsenv_last $argv
    else
        echo "sudo-on: which role? Run 'sudo-on ROLE', or set AWSENV_DEFAULT_ROLE." >&2
        return 2
    end
    if test "$args[1]" = --simulate
        sudo-on $args
        return
    end
    set -l out (command $__awsenv_bin assume --shell fish $args[2..-1] -- $args[1] | string collect)
    set -l rc $pipestatus[1]
    test $rc -eq 0; or return $rc
    # The code may run awsenv again (to reach values only this shell holds): it can fail.
    echo $out | source; or return
    set -g __awsenv_last $args
end

function sudo-off --description 'Restore the AWS environment from before sudo-on (awsenv)'
    set -l out (command $__awsenv_bin unset --shell fish | string collect)
    set -l rc $pipestatus[1]
    test $rc -eq 0; or return $rc
    echo $out | source
end

# The current time without a process: fish has no clock builtin, but `path mtime` is one, and
# a file's modification time plus its age is now.
function __awsenv_now
    set -l m (path mtime / 2>/dev/null)
    set -l r (path mtime --relative / 2>/dev/null)
    if test -n "$m"; and test -n "$r"
        math $m + $r
    else
        date +%s
    end
end

# The segment for the active role, e.g. "aws:my-role 42m", from the environment alone.
# Settings: AWSENV_PROMPT_FORMAT ("%r" role, "%t" time left; default "aws:%r %t"),
# AWSENV_PROMPT_COLOR / AWSENV_PROMPT_EXPIRED_COLOR (ANSI SGR codes such as "33", "1;31").
function awsenv_prompt --description 'Print the active awsenv role and its time left'
    set -q AWSENV_ROLE; and test -n "$AWSENV_ROLE"; or return 0
    set -l expires 0
    set -q AWSENV_EXPIRES_AT; and set expires $AWSENV_EXPIRES_AT
    set -l left (math $expires - (__awsenv_now))
    set -l t
    set -l color
    if test $left -le 0
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
    set -l label $AWSENV_ROLE
    set -q AWSENV_SIMULATED_BY; and test -n "$AWSENV_SIMULATED_BY"; and set label "$label(sim)"
    set -l fmt 'aws:%r %t'
    set -q AWSENV_PROMPT_FORMAT; and set fmt $AWSENV_PROMPT_FORMAT
    set -l seg (string replace -a -- '%r' $label $fmt | string replace -a -- '%t' $t)
    if test -n "$color"
        printf '\e[%sm%s\e[0m' $color $seg
    else
        printf '%s' $seg
    end
end

# Opt-in: AWSENV_WARN_BEFORE=SECONDS warns once per session that it is about to expire;
# AWSENV_AUTO_REFRESH=1 assumes the role again at that point (default 300 s before).
function __awsenv_hook --on-event fish_prompt
    set -l exit_status $status
    set -q AWSENV_ROLE; and test -n "$AWSENV_ROLE"; or return $exit_status
    set -q AWSENV_WARN_BEFORE; or test "$AWSENV_AUTO_REFRESH" = 1; or return $exit_status
    set -l before 300
    set -q AWSENV_WARN_BEFORE; and set before $AWSENV_WARN_BEFORE
    set -l left (math $AWSENV_EXPIRES_AT - (__awsenv_now))
    if test $left -le $before
        if test "$AWSENV_AUTO_REFRESH" = 1; and test (count $__awsenv_last) -gt 0
            sudo-on $__awsenv_last --min-ttl (math $before + 60)
            or echo "awsenv: could not refresh $AWSENV_ROLE" >&2
        else if test "$__awsenv_warned" != "$AWSENV_SESSION_ARN@$AWSENV_EXPIRES_AT"
            set -g __awsenv_warned "$AWSENV_SESSION_ARN@$AWSENV_EXPIRES_AT"
            if test $left -gt 0
                echo "awsenv: $AWSENV_ROLE expires in "(math -s0 "($left + 59) / 60")"m; run sudo-on to renew" >&2
            else
                echo "awsenv: $AWSENV_ROLE has expired; run sudo-on to renew or sudo-off" >&2
            end
        end
    end
    return $exit_status
end
