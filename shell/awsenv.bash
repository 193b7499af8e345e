# awsenv shell integration for bash. Load it from ~/.bashrc with:
#   eval "$(awsenv init bash)"
# It defines sudo-on, sudo-off, awsenv_prompt and a prompt hook; it edits no file.

__awsenv_bin='@AWSENV_BIN@'
__awsenv_last=()

# sudo-on [ROLE] [assume options...]
# sudo-on --simulate TARGET --base-role BASE [options...]
sudo-on() {
  local out
  local -a args
  if [ "${1-}" = --simulate ]; then
    if [ $# -lt 2 ]; then
      echo "sudo-on: --simulate needs the role to act as: sudo-on --simulate ROLE --base-role BASE" >&2
      return 2
    fi
    args=("$@")
    out=$(command "$__awsenv_bin" simulate --shell bash --role-name "$2" "${@:3}") || return
  else
    if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then
      args=("$@")
    elif [ -n "${AWSENV_DEFAULT_ROLE-}" ]; then
      args=("$AWSENV_DEFAULT_ROLE" "$@")
    elif [ ${#__awsenv_last[@]} -gt 0 ]; then
      args=("${__awsenv_last[@]}" "$@")
    else
      echo "sudo-on: which role? Run 'sudo-on ROLE', or set AWSENV_DEFAULT_ROLE." >&2
      return 2
    fi
    if [ "${args[0]}" = --simulate ]; then
      sudo-on "${args[@]}"
      return
    fi
    out=$(command "$__awsenv_bin" assume --shell bash "${args[@]:1}" -- "${args[0]}") || return
  fi
  # The code may run awsenv again (to reach values only this shell holds): it can fail.
  eval "$out" || return
  __awsenv_last=("${args[@]}")
}

# sudo-off: back to the environment saved before the first sudo-on.
sudo-off() {
  local out
  out=$(command "$__awsenv_bin" unset --shell bash) || return
  eval "$out"
}

# Sets `now` (the caller's local) to the epoch time without a subshell: EPOCHSECONDS in
# bash 5, the printf builtin before.
__awsenv_now() {
  if [ -n "${EPOCHSECONDS-}" ]; then
    now=$EPOCHSECONDS
  else
    printf -v now '%(%s)T' -1
  fi
}

# The segment for the active role, e.g. "aws:my-role 42m", from the environment alone.
# Settings: AWSENV_PROMPT_FORMAT ("%r" role, "%t" time left; default "aws:%r %t"),
# AWSENV_PROMPT_COLOR / AWSENV_PROMPT_EXPIRED_COLOR (ANSI SGR codes such as "33", "1;31").
__awsenv_segment() {
  __awsenv_seg=
  [ -n "${AWSENV_ROLE-}" ] || return 0
  local now left t label color
  __awsenv_now
  left=$(( ${AWSENV_EXPIRES_AT:-0} - now ))
  if [ "$left" -le 0 ]; then
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
  label=$AWSENV_ROLE
  [ -z "${AWSENV_SIMULATED_BY-}" ] || label="$label(sim)"
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

# Runs before each prompt. Without settings it only computes AWSENV_PROMPT_SEGMENT (for PS1
# without a subshell: PS1='${AWSENV_PROMPT_SEGMENT:+$AWSENV_PROMPT_SEGMENT }\$ ').
# Opt-in: AWSENV_WARN_BEFORE=SECONDS warns once per session that it is about to expire;
# AWSENV_AUTO_REFRESH=1 assumes the role again at that point (default 300 s before).
__awsenv_hook() {
  local status=$?
  local __awsenv_seg
  __awsenv_segment
  # shellcheck disable=SC2034 # read by the user's PS1
  AWSENV_PROMPT_SEGMENT=$__awsenv_seg
  if [ -n "${AWSENV_ROLE-}" ] && { [ -n "${AWSENV_WARN_BEFORE-}" ] || [ "${AWSENV_AUTO_REFRESH-}" = 1 ]; }; then
    local now left before
    __awsenv_now
    left=$(( ${AWSENV_EXPIRES_AT:-0} - now ))
    before=${AWSENV_WARN_BEFORE:-300}
    if [ "$left" -le "$before" ]; then
      if [ "${AWSENV_AUTO_REFRESH-}" = 1 ] && [ ${#__awsenv_last[@]} -gt 0 ]; then
        sudo-on "${__awsenv_last[@]}" --min-ttl "$((before + 60))" ||
          echo "awsenv: could not refresh $AWSENV_ROLE" >&2
      elif [ "${__awsenv_warned-}" != "$AWSENV_SESSION_ARN@$AWSENV_EXPIRES_AT" ]; then
        __awsenv_warned="$AWSENV_SESSION_ARN@$AWSENV_EXPIRES_AT"
        if [ "$left" -gt 0 ]; then
          echo "awsenv: $AWSENV_ROLE expires in $(((left + 59) / 60))m; run sudo-on to renew" >&2
        else
          echo "awsenv: $AWSENV_ROLE has expired; run sudo-on to renew or sudo-off" >&2
        fi
      fi
    fi
  fi
  return "$status"
}

# Run first, so that the user's own hooks still see the exit status of their command.
if [[ ";${PROMPT_COMMAND[*]-};" != *";__awsenv_hook;"* ]]; then
  if [[ "$(declare -p PROMPT_COMMAND 2>/dev/null)" == "declare -a"* ]]; then
    PROMPT_COMMAND=(__awsenv_hook "${PROMPT_COMMAND[@]}")
  else
    # shellcheck disable=SC2128,SC2178 # a string here: the array case is the branch above
    PROMPT_COMMAND="__awsenv_hook${PROMPT_COMMAND:+;$PROMPT_COMMAND}"
  fi
fi
