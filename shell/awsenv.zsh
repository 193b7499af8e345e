# awsenv shell integration for zsh. Load it from ~/.zshrc with:
#   eval "$(awsenv init zsh)"
# It defines sudo-on, sudo-off, awsenv_prompt and a precmd hook; it edits no file.

typeset -g __awsenv_bin='@AWSENV_BIN@'
typeset -ga __awsenv_last
zmodload -F zsh/datetime p:EPOCHSECONDS 2>/dev/null

# sudo-on [ROLE] [assume options...]
# sudo-on --simulate TARGET --base-role BASE [options...]
sudo-on() {
  emulate -L zsh
  local out
  local -a args
  if [[ ${1-} == --simulate ]]; then
    if (( $# < 2 )); then
      print -u2 "sudo-on: --simulate needs the role to act as: sudo-on --simulate ROLE --base-role BASE"
      return 2
    fi
    args=("$@")
    out=$(command "$__awsenv_bin" simulate --shell zsh --role-name "$2" "${@[3,-1]}") || return
  else
    if (( $# > 0 )) && [[ $1 != -* ]]; then
      args=("$@")
    elif [[ -n ${AWSENV_DEFAULT_ROLE-} ]]; then
      args=("$AWSENV_DEFAULT_ROLE" "$@")
    elif (( ${#__awsenv_last} > 0 )); then
      args=("${__awsenv_last[@]}" "$@")
    else
      print -u2 "sudo-on: which role? Run 'sudo-on ROLE', or set AWSENV_DEFAULT_ROLE."
      return 2
    fi
    if [[ ${args[1]} == --simulate ]]; then
      sudo-on "${args[@]}"
      return
    fi
    out=$(command "$__awsenv_bin" assume --shell zsh "${(@)args[2,-1]}" -- "${args[1]}") || return
  fi
  # The code may run awsenv again (to reach values only this shell holds): it can fail.
  eval "$out" || return
  __awsenv_last=("${args[@]}")
}

# sudo-off: back to the environment saved before the first sudo-on.
sudo-off() {
  local out
  out=$(command "$__awsenv_bin" unset --shell zsh) || return
  eval "$out"
}

# The segment for the active role, e.g. "aws:my-role 42m", from the environment alone.
# Settings: AWSENV_PROMPT_FORMAT ("%r" role, "%t" time left; default "aws:%r %t"),
# AWSENV_PROMPT_COLOR / AWSENV_PROMPT_EXPIRED_COLOR (ANSI SGR codes such as "33", "1;31").
__awsenv_segment() {
  emulate -L zsh
  typeset -g __awsenv_seg=
  [[ -n ${AWSENV_ROLE-} ]] || return 0
  local -i left=$(( ${AWSENV_EXPIRES_AT:-0} - EPOCHSECONDS ))
  local t color label fmt
  if (( left <= 0 )); then
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
  label=$AWSENV_ROLE
  [[ -z ${AWSENV_SIMULATED_BY-} ]] || label="$label(sim)"
  fmt=${AWSENV_PROMPT_FORMAT-aws:%r %t}
  fmt=${fmt//\%r/$label}
  __awsenv_seg=${fmt//\%t/$t}
  if [[ -n $color ]]; then
    # %{ %} tell zsh the escape sequence takes no room on the line.
    __awsenv_seg="%{"$'\e['"${color}m%}${__awsenv_seg}%{"$'\e[0m'"%}"
  fi
}

awsenv_prompt() {
  __awsenv_segment
  print -rn -- "$__awsenv_seg"
}

# Runs before each prompt. Without settings it only computes AWSENV_PROMPT_SEGMENT (for a prompt
# without a subshell: setopt prompt_subst; PROMPT='${AWSENV_PROMPT_SEGMENT} %# ').
# Opt-in: AWSENV_WARN_BEFORE=SECONDS warns once per session that it is about to expire;
# AWSENV_AUTO_REFRESH=1 assumes the role again at that point (default 300 s before).
__awsenv_hook() {
  local -i exit_status=$?
  __awsenv_segment
  typeset -g AWSENV_PROMPT_SEGMENT=$__awsenv_seg
  if [[ -n ${AWSENV_ROLE-} ]] && [[ -n ${AWSENV_WARN_BEFORE-} || ${AWSENV_AUTO_REFRESH-} == 1 ]]; then
    local -i left=$(( ${AWSENV_EXPIRES_AT:-0} - EPOCHSECONDS ))
    local -i before=${AWSENV_WARN_BEFORE:-300}
    if (( left <= before )); then
      if [[ ${AWSENV_AUTO_REFRESH-} == 1 ]] && (( ${#__awsenv_last} > 0 )); then
        sudo-on "${__awsenv_last[@]}" --min-ttl $(( before + 60 )) ||
          print -u2 "awsenv: could not refresh $AWSENV_ROLE"
      elif [[ ${__awsenv_warned-} != "$AWSENV_SESSION_ARN@$AWSENV_EXPIRES_AT" ]]; then
        typeset -g __awsenv_warned="$AWSENV_SESSION_ARN@$AWSENV_EXPIRES_AT"
        if (( left > 0 )); then
          print -u2 "awsenv: $AWSENV_ROLE expires in $(( (left + 59) / 60 ))m; run sudo-on to renew"
        else
          print -u2 "awsenv: $AWSENV_ROLE has expired; run sudo-on to renew or sudo-off"
        fi
      fi
    fi
  fi
  return exit_status
}

autoload -Uz add-zsh-hook
add-zsh-hook precmd __awsenv_hook
