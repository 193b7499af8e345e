# awsenv shell integration for zsh. Load it from ~/.zshrc with:
#   eval "$(awsenv init zsh)"
# It defines sudo-on, sudo-off, awsenv_prompt and a precmd hook; it edits no file. Every
# function runs with zsh's own options (emulate -L zsh), whatever the user's are, and loading
# this again keeps its state.
# Names shared with awsenv are written __AWSENV_<KEY>__ here; `awsenv init` fills them in.

typeset -g __awsenv_bin='@AWSENV_BIN@'
# `awsenv doctor` reads this to tell whether the integration is loaded in the shell it runs in.
export __AWSENV_INIT__="zsh:$$"
# Without a value: an existing list (the last role) is kept when this is loaded again.
typeset -ga __awsenv_last
zmodload -F zsh/datetime p:EPOCHSECONDS 2>/dev/null

# __awsenv_apply ROLE [assume options...] | --simulate TARGET [options...]
# Runs awsenv and evaluates what it prints. Only awsenv's own shell code may reach eval: under
# __AWSENV_WRAPPER__=1 awsenv sends anything else (help, version, JSON) to stderr. Sets
# __awsenv_applied (a caller's local) when something was evaluated.
__awsenv_apply() {
  emulate -L zsh
  local out
  if [[ $1 == --simulate ]]; then
    out=$(__AWSENV_WRAPPER__=1 command "$__awsenv_bin" simulate --shell zsh --role-name "$2" "${@[3,-1]}") || return
  else
    out=$(__AWSENV_WRAPPER__=1 command "$__awsenv_bin" assume --shell zsh "${@[2,-1]}" -- "$1") || return
  fi
  [[ -n $out ]] || return 0
  eval "$out" || return
  __awsenv_applied=1
}

# sudo-on [ROLE] [assume options...]
# sudo-on --simulate TARGET --base-role BASE [options...]
sudo-on() {
  emulate -L zsh
  local __awsenv_applied=
  local -a args
  if [[ ${1-} == --simulate ]]; then
    if (( $# < 2 )); then
      print -u2 "sudo-on: --simulate needs the role to act as: sudo-on --simulate ROLE --base-role BASE"
      return 2
    fi
    args=("$@")
  elif (( $# > 0 )) && [[ $1 != -* ]]; then
    args=("$@")
  elif [[ -n ${AWSENV_DEFAULT_ROLE-} ]]; then
    args=("$AWSENV_DEFAULT_ROLE" "$@")
  elif (( ${#__awsenv_last} > 0 )); then
    args=("${__awsenv_last[@]}" "$@")
  else
    # No role anywhere: awsenv opens its picker on the terminal.
    args=("" "$@")
  fi
  if (( ${args[(Ie)--]} )); then
    print -u2 "sudo-on: puts a role into this shell and runs no command; to run one as a role use 'awsenv exec ROLE -- CMD' or 'awsenv simulate --role-name T --base-role B -- CMD'"
    return 2
  fi
  __awsenv_apply "${args[@]}" || return
  # A picked role is not known here: the next bare sudo-on picks again (that role first).
  if [[ -n $__awsenv_applied && -n ${args[1]} ]]; then
    __awsenv_last=("${args[@]}")
  fi
}

# sudo-off: back to the environment saved before the first sudo-on.
sudo-off() {
  emulate -L zsh
  local out
  out=$(__AWSENV_WRAPPER__=1 command "$__awsenv_bin" unset --shell zsh) || return
  [[ -z $out ]] || eval "$out"
}

# True while the credential endpoint that __AWSENV_SERVER__ names runs (a builtin, no process).
# A marker left behind (its endpoint stopped, or the parent shell that owned it ended) is not
# a served role: the prompt then counts down as for keys, and the hook warns.
__awsenv_served() {
  emulate -L zsh
  [[ -n ${__AWSENV_SERVER__-} ]] || return 1
  local pid=${__AWSENV_SERVER__#*\"pid\":}
  pid=${pid%%[^0-9]*}
  [[ -n $pid ]] && kill -0 $pid 2>/dev/null
}

# The segment for the active role, e.g. "aws:my-role 42m", from the environment alone.
# Settings: AWSENV_PROMPT_FORMAT ("%r" role, "%t" time left; default "aws:%r %t"),
# AWSENV_PROMPT_COLOR / AWSENV_PROMPT_EXPIRED_COLOR (ANSI SGR codes such as "33", "1;31").
__awsenv_segment() {
  emulate -L zsh
  typeset -g __awsenv_seg=
  [[ -n ${__AWSENV_ROLE__-} ]] || return 0
  local -i left=$(( ${__AWSENV_EXPIRES_AT__:-0} - EPOCHSECONDS ))
  local t color label fmt
  if __awsenv_served; then
    # The credential endpoint renews the session: there is no end to count down to.
    t=served
    color=${AWSENV_PROMPT_COLOR-}
  elif (( left <= 0 )); then
    t=expired
    color=${AWSENV_PROMPT_EXPIRED_COLOR-}
  else
    color=${AWSENV_PROMPT_COLOR-}
    local -i mins=$(( (left + 59) / 60 ))
    if (( mins >= 60 )); then
      t="$(( mins / 60 ))h$(( mins % 60 ))m"
    else
      t="${mins}m"
    fi
  fi
  label=$__AWSENV_ROLE__
  [[ -z ${__AWSENV_SIMULATED_BY__-} ]] || label="$label(sim)"
  fmt=${AWSENV_PROMPT_FORMAT-aws:%r %t}
  fmt=${fmt//\%r/$label}
  __awsenv_seg=${fmt//\%t/$t}
  if [[ -n $color ]]; then
    # %{ %} tell zsh the escape sequence takes no room on the line.
    __awsenv_seg="%{"$'\e['"${color}m%}${__awsenv_seg}%{"$'\e[0m'"%}"
  fi
}

awsenv_prompt() {
  emulate -L zsh
  __awsenv_segment
  print -rn -- "$__awsenv_seg"
}

# Near the end of a session: warns once, or with AWSENV_AUTO_REFRESH=1 renews it. A prompt
# never waits on the network: the new session is fetched in the background into awsenv's
# cache, and a later prompt applies it with --cache-only, which cannot touch the network.
__awsenv_expiring() {
  emulate -L zsh
  local -i left=$(( ${__AWSENV_EXPIRES_AT__:-0} - EPOCHSECONDS ))
  local -i before=${AWSENV_WARN_BEFORE:-300}
  (( left <= before )) || return 0
  local key="${__AWSENV_SESSION_ARN__-}@${__AWSENV_EXPIRES_AT__-}"
  if [[ ${AWSENV_AUTO_REFRESH-} == 1 ]] && (( ${#__awsenv_last} > 0 )); then
    local __awsenv_applied=
    # A miss (exit 14) is the usual answer until the background job is done.
    __awsenv_apply "${__awsenv_last[@]}" --cache-only --min-ttl $(( before + 60 )) 2>/dev/null || :
    [[ -z $__awsenv_applied ]] || return 0
    if [[ ${__awsenv_refreshing-} != "$key" ]]; then
      typeset -g __awsenv_refreshing=$key
      typeset -gi __awsenv_refresh_at=EPOCHSECONDS
      # &! disowns the job: no job-control message, and it runs detached from this prompt.
      # Its exports die with it; only the cache keeps the session.
      { __AWSENV_NO_PROMPT__=1 __awsenv_apply "${__awsenv_last[@]}" --min-ttl $(( before + 60 )) } </dev/null >/dev/null 2>&1 &!
      return 0
    fi
    # Quiet while the fetch may still be running (awsenv bounds it to 25 s by default);
    # after a minute it has failed, and the warning below says the session will end.
    (( EPOCHSECONDS >= ${__awsenv_refresh_at:-0} + 60 )) || return 0
  fi
  if [[ ${__awsenv_warned-} != "$key" ]]; then
    typeset -g __awsenv_warned=$key
    if (( left > 0 )); then
      print -u2 "awsenv: ${__AWSENV_ROLE__-} expires in $(( (left + 59) / 60 ))m; run sudo-on to renew"
    else
      print -u2 "awsenv: ${__AWSENV_ROLE__-} has expired; run sudo-on to renew or sudo-off"
    fi
  fi
}

# Runs before each prompt. Without settings it only computes AWSENV_PROMPT_SEGMENT (for a prompt
# without a subshell: setopt prompt_subst; PROMPT='${AWSENV_PROMPT_SEGMENT} %# ').
# Opt-in: AWSENV_WARN_BEFORE=SECONDS warns once per session that it is about to expire;
# AWSENV_AUTO_REFRESH=1 renews the session at that point (default 300 s before).
__awsenv_hook() {
  # Before emulate, which would reset it. Under ERR_EXIT a non-zero return would end the shell.
  local -i exit_status=$?
  [[ ! -o errexit ]] || exit_status=0
  emulate -L zsh
  __awsenv_segment
  typeset -g AWSENV_PROMPT_SEGMENT=$__awsenv_seg
  __awsenv_direnv_refresh
  if [[ -n ${__AWSENV_ROLE__-} ]] && ! __awsenv_served && [[ -n ${AWSENV_WARN_BEFORE-} || ${AWSENV_AUTO_REFRESH-} == 1 ]]; then
    __awsenv_expiring
  fi
  return exit_status
}

# direnv (`use awsenv`) reloads when AWSENV_REFRESH_FILE changes: written once per session,
# AWSENV_REFRESH_BEFORE seconds (default 300) before it ends, by a builtin (no process).
__awsenv_direnv_refresh() {
  [[ -n ${AWSENV_REFRESH_FILE-} && -n ${__AWSENV_EXPIRES_AT__-} ]] || return 0
  [[ ${__awsenv_touched-} != "$__AWSENV_EXPIRES_AT__" ]] || return 0
  if (( __AWSENV_EXPIRES_AT__ - EPOCHSECONDS <= ${AWSENV_REFRESH_BEFORE:-300} )); then
    typeset -g __awsenv_touched=$__AWSENV_EXPIRES_AT__
    print -r -- $EPOCHSECONDS 2>/dev/null >| $AWSENV_REFRESH_FILE
  fi
  return 0
}

autoload -Uz add-zsh-hook
add-zsh-hook precmd __awsenv_hook
