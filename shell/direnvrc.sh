# shellcheck shell=bash
# awsenv helper for direnv. Load it from ~/.config/direnv/direnvrc with:
#   eval "$(awsenv init direnv)"
# Then, in a project's .envrc:
#   use awsenv ROLE [assume options...]
#   use awsenv_simulate TARGET --base-role BASE [options...]
#
# direnv runs .envrc on every `cd` into the project, so this relies on awsenv's credential
# cache: after the first call, no network. It never asks for an MFA code (direnv has no
# terminal for it): run `sudo-on ROLE --mfa-serial ...` once to get the session into the cache.
# Leaving the directory restores the previous credentials: that is direnv's own unloading.
# Names shared with awsenv are written __AWSENV_<KEY>__ here; `awsenv init` fills them in.

__awsenv_bin='@AWSENV_BIN@'

# Runs awsenv and evaluates what it prints (__AWSENV_WRAPPER__=1: only shell code reaches stdout,
# help or JSON go to stderr, and no command runs). direnv restores the environment itself, so awsenv
# saves nothing for `unset`, and it never asks for an MFA code (direnv has no terminal).
# direnv reloads only when a watched file changes: the prompt hook of `awsenv init` writes
# AWSENV_REFRESH_FILE when the session has AWSENV_REFRESH_BEFORE seconds left (default 300),
# and the cache then refuses a session with less than a minute more than that.
__awsenv_direnv() {
  local out before=${AWSENV_REFRESH_BEFORE:-300} dir
  out=$(__AWSENV_NO_SAVE__=1 __AWSENV_NO_PROMPT__=1 __AWSENV_WRAPPER__=1 __AWSENV_MIN_TTL__=${__AWSENV_MIN_TTL__:-$((before + 60))} \
    command "$__awsenv_bin" "$1" --shell bash "${@:2}" </dev/null) || return
  eval "$out"
  dir=$(command "$__awsenv_bin" cache dir </dev/null) || return 0
  watch_file "$dir/direnv-refresh"
  export AWSENV_REFRESH_FILE="$dir/direnv-refresh"
}

use_awsenv() {
  if [ $# -eq 0 ]; then
    log_error "use awsenv: which role? e.g. 'use awsenv arn:aws:iam::123456789012:role/dev'"
    return 1
  fi
  __awsenv_direnv assume "${@:2}" -- "$1"
}

use_awsenv_simulate() {
  if [ $# -eq 0 ]; then
    log_error "use awsenv_simulate: which role? e.g. 'use awsenv_simulate my-task --base-role power-user'"
    return 1
  fi
  __awsenv_direnv simulate --quiet --role-name "$1" "${@:2}"
}
