# awsenv shell integration for bash (3.2 and later). Load it from ~/.bashrc with:
#   eval "$(awsenv init bash)"
# It defines sudo-on, sudo-off, awsenv_prompt and a prompt hook; it edits no file. It works
# under set -u, set -e and pipefail, and loading it again keeps its state.
# Names shared with awsenv are written __AWSENV_<KEY>__ here; `awsenv init` fills them in.

__awsenv_bin='@AWSENV_BIN@'
# `awsenv doctor` reads this to tell whether the integration is loaded in the shell it runs in.
export __AWSENV_INIT__="bash:$$"
# Kept when this file is loaded again (a re-read ~/.bashrc must not forget the last role).
[ -n "${__awsenv_last+x}" ] || __awsenv_last=()

# The clock, chosen once here from the version (tests force the old branches after init):
# epoch: $EPOCHSECONDS (bash 5); printf: printf's %(%s)T (bash 4.2); seconds: an epoch read
# once with date plus $SECONDS (bash 3.2, macOS): none of them forks at a prompt.
if [ -n "${EPOCHSECONDS-}" ]; then
  __awsenv_clock=epoch
elif [ "${BASH_VERSINFO[0]}" -gt 4 ] || { [ "${BASH_VERSINFO[0]}" -eq 4 ] && [ "${BASH_VERSINFO[1]}" -ge 2 ]; }; then
  __awsenv_clock='printf'
else
  __awsenv_clock=seconds
  __awsenv_epoch0=$(($(date +%s) - SECONDS))
fi

# Sets `now` (the caller's local) to the epoch time.
__awsenv_now() {
  case $__awsenv_clock in
    epoch) now=$EPOCHSECONDS ;;
    printf) printf -v now '%(%s)T' -1 ;;
    *)
      [ -n "${__awsenv_epoch0-}" ] || __awsenv_epoch0=$(($(date +%s) - SECONDS))
      now=$((__awsenv_epoch0 + SECONDS))
      ;;
  esac
}

# __awsenv_apply ROLE [assume options...] | --simulate TARGET [options...]
# Runs awsenv and evaluates what it prints. Only awsenv's own shell code may reach eval: under
# __AWSENV_WRAPPER__=1 awsenv sends anything else (help, version, JSON) to stderr. Sets
# __awsenv_applied (a caller's local) when something was evaluated.
__awsenv_apply() {
  local out
  if [ "$1" = --simulate ]; then
    out=$(__AWSENV_WRAPPER__=1 command "$__awsenv_bin" simulate --shell bash --role-name "$2" "${@:3}") || return
  else
    out=$(__AWSENV_WRAPPER__=1 command "$__awsenv_bin" assume --shell bash "${@:2}" -- "$1") || return
  fi
  [ -n "$out" ] || return 0
  eval "$out" || return
  __awsenv_applied=1
}

# sudo-on [ROLE] [assume options...]
# sudo-on --simulate TARGET --base-role BASE [options...]
sudo-on() {
  local a __awsenv_applied=
  local -a args
  if [ "${1-}" = --simulate ]; then
    if [ $# -lt 2 ]; then
      echo "sudo-on: --simulate needs the role to act as: sudo-on --simulate ROLE --base-role BASE" >&2
      return 2
    fi
    args=("$@")
  elif [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then
    args=("$@")
  elif [ -n "${AWSENV_DEFAULT_ROLE-}" ]; then
    args=("$AWSENV_DEFAULT_ROLE" "$@")
  elif [ ${#__awsenv_last[@]} -gt 0 ]; then
    args=("${__awsenv_last[@]}" "$@")
  else
    # No role anywhere: awsenv opens its picker on the terminal.
    args=("" "$@")
  fi
  for a in "${args[@]}"; do
    if [ "$a" = -- ]; then
      echo "sudo-on: puts a role into this shell and runs no command; to run one as a role use 'awsenv exec ROLE -- CMD' or 'awsenv simulate --role-name T --base-role B -- CMD'" >&2
      return 2
    fi
  done
  __awsenv_apply "${args[@]}" || return
  # A picked role is not known here: the next bare sudo-on picks again (that role first).
  if [ -n "$__awsenv_applied" ] && [ -n "${args[0]}" ]; then
    __awsenv_last=("${args[@]}")
  fi
}

# sudo-off: back to the environment saved before the first sudo-on.
sudo-off() {
  local out
  out=$(__AWSENV_WRAPPER__=1 command "$__awsenv_bin" unset --shell bash) || return
  [ -z "$out" ] || eval "$out"
}

# True while the credential endpoint that __AWSENV_SERVER__ names runs (a builtin, no process).
# A marker left behind (its endpoint stopped, or the parent shell that owned it ended) is not
# a served role: the prompt then counts down as for keys, and the hook warns.
__awsenv_served() {
  [ -n "${__AWSENV_SERVER__-}" ] || return 1
  local pid=${__AWSENV_SERVER__#*\"pid\":}
  pid=${pid%%[!0-9]*}
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

# The segment for the active role, e.g. "aws:my-role 42m", from the environment alone.
# Settings: AWSENV_PROMPT_FORMAT ("%r" role, "%t" time left; default "aws:%r %t"),
# AWSENV_PROMPT_COLOR / AWSENV_PROMPT_EXPIRED_COLOR (ANSI SGR codes such as "33", "1;31").
__awsenv_segment() {
  __awsenv_seg=
  [ -n "${__AWSENV_ROLE__-}" ] || return 0
  local now left t label color
  __awsenv_now
  left=$((${__AWSENV_EXPIRES_AT__:-0} - now))
  if __awsenv_served; then
    # The credential endpoint renews the session: there is no end to count down to.
    t=served
    color=${AWSENV_PROMPT_COLOR-}
  elif [ "$left" -le 0 ]; then
    t=expired
    color=${AWSENV_PROMPT_EXPIRED_COLOR-}
  else
    color=${AWSENV_PROMPT_COLOR-}
    local mins=$(((left + 59) / 60))
    if [ "$mins" -ge 60 ]; then
      t="$((mins / 60))h$((mins % 60))m"
    else
      t="${mins}m"
    fi
  fi
  label=$__AWSENV_ROLE__
  [ -z "${__AWSENV_SIMULATED_BY__-}" ] || label="$label(sim)"
  local fmt=${AWSENV_PROMPT_FORMAT-aws:%r %t}
  fmt=${fmt//%r/$label}
  __awsenv_seg=${fmt//%t/$t}
  if [ -n "$color" ]; then
    # \001 and \002 tell readline the escape sequence takes no room on the line.
    __awsenv_seg=$'\001\e['"$color"$'m\002'"$__awsenv_seg"$'\001\e[0m\002'
  fi
}

awsenv_prompt() {
  local __awsenv_seg
  __awsenv_segment
  printf '%s' "$__awsenv_seg"
}

# Near the end of a session: warns once, or with AWSENV_AUTO_REFRESH=1 renews it. A prompt
# never waits on the network: the new session is fetched in the background into awsenv's
# cache, and a later prompt applies it with --cache-only, which cannot touch the network.
__awsenv_expiring() {
  local now left before key
  __awsenv_now
  left=$((${__AWSENV_EXPIRES_AT__:-0} - now))
  before=${AWSENV_WARN_BEFORE:-300}
  [ "$left" -le "$before" ] || return 0
  key="${__AWSENV_SESSION_ARN__-}@${__AWSENV_EXPIRES_AT__-}"
  if [ "${AWSENV_AUTO_REFRESH-}" = 1 ] && [ ${#__awsenv_last[@]} -gt 0 ]; then
    local __awsenv_applied=
    # A miss (exit 14) is the usual answer until the background job is done; `|| :` keeps
    # it from ending a shell that runs under set -e.
    __awsenv_apply "${__awsenv_last[@]}" --cache-only --min-ttl "$((before + 60))" 2>/dev/null || :
    [ -z "$__awsenv_applied" ] || return 0
    if [ "${__awsenv_refreshing-}" != "$key" ]; then
      __awsenv_refreshing=$key
      __awsenv_refresh_at=$now
      # A subshell that starts a job and exits: no job-control message, and the job runs
      # detached from this prompt. Its exports die with it; only the cache keeps the session.
      (__AWSENV_NO_PROMPT__=1 __awsenv_apply "${__awsenv_last[@]}" --min-ttl "$((before + 60))" </dev/null >/dev/null 2>&1 &)
      return 0
    fi
    # Quiet while the fetch may still be running (awsenv bounds it to 25 s by default);
    # after a minute it has failed, and the warning below says the session will end.
    [ "$now" -ge $((${__awsenv_refresh_at:-0} + 60)) ] || return 0
  fi
  if [ "${__awsenv_warned-}" != "$key" ]; then
    __awsenv_warned=$key
    if [ "$left" -gt 0 ]; then
      echo "awsenv: ${__AWSENV_ROLE__-} expires in $(((left + 59) / 60))m; run sudo-on to renew" >&2
    else
      echo "awsenv: ${__AWSENV_ROLE__-} has expired; run sudo-on to renew or sudo-off" >&2
    fi
  fi
}

# Runs before each prompt. Without settings it only computes AWSENV_PROMPT_SEGMENT (for PS1
# without a subshell: PS1='${AWSENV_PROMPT_SEGMENT:+$AWSENV_PROMPT_SEGMENT }\$ ').
# Opt-in: AWSENV_WARN_BEFORE=SECONDS warns once per session that it is about to expire;
# AWSENV_AUTO_REFRESH=1 renews the session at that point (default 300 s before).
__awsenv_hook() {
  local status=$?
  local __awsenv_seg
  __awsenv_segment
  # shellcheck disable=SC2034 # read by the user's PS1
  AWSENV_PROMPT_SEGMENT=$__awsenv_seg
  __awsenv_direnv_refresh
  if [ -n "${__AWSENV_ROLE__-}" ] && ! __awsenv_served && { [ -n "${AWSENV_WARN_BEFORE-}" ] || [ "${AWSENV_AUTO_REFRESH-}" = 1 ]; }; then
    __awsenv_expiring
  fi
  # Under set -e a non-zero return here would end the shell (after `false && x`, say).
  case $- in *e*) return 0 ;; esac
  return "$status"
}

# direnv (`use awsenv`) reloads when AWSENV_REFRESH_FILE changes: written once per session,
# AWSENV_REFRESH_BEFORE seconds (default 300) before it ends, by a builtin (no process).
__awsenv_direnv_refresh() {
  [ -n "${AWSENV_REFRESH_FILE-}" ] && [ -n "${__AWSENV_EXPIRES_AT__-}" ] || return 0
  [ "${__awsenv_touched-}" != "$__AWSENV_EXPIRES_AT__" ] || return 0
  local now
  __awsenv_now
  if [ $((__AWSENV_EXPIRES_AT__ - now)) -le "${AWSENV_REFRESH_BEFORE:-300}" ]; then
    __awsenv_touched=$__AWSENV_EXPIRES_AT__
    printf '%s\n' "$now" 2>/dev/null >|"$AWSENV_REFRESH_FILE"
  fi
  return 0
}

# Run first, so that the user's own hooks still see the exit status of their command. Once:
# loading this file again must not add the hook twice (PROMPT_COMMAND is an array since 5.1).
if [[ "$(declare -p PROMPT_COMMAND 2>/dev/null)" == "declare -a"* ]]; then
  __awsenv_found=
  for __awsenv_pc in ${PROMPT_COMMAND[@]+"${PROMPT_COMMAND[@]}"}; do
    [ "$__awsenv_pc" != __awsenv_hook ] || __awsenv_found=1
  done
  [ -n "$__awsenv_found" ] || PROMPT_COMMAND=(__awsenv_hook ${PROMPT_COMMAND[@]+"${PROMPT_COMMAND[@]}"})
  unset __awsenv_found __awsenv_pc
elif [[ ";${PROMPT_COMMAND-};" != *";__awsenv_hook;"* ]]; then
  # shellcheck disable=SC2128,SC2178 # a string here: the array case is the branch above
  PROMPT_COMMAND="__awsenv_hook${PROMPT_COMMAND:+;$PROMPT_COMMAND}"
fi
