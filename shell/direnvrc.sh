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

__awsenv_bin='@AWSENV_BIN@'

use_awsenv() {
  if [ $# -eq 0 ]; then
    log_error "use awsenv: which role? e.g. 'use awsenv arn:aws:iam::123456789012:role/dev'"
    return 1
  fi
  local role=$1
  shift
  local out
  # direnv restores the environment itself, so awsenv saves nothing for `unset`.
  out=$(AWSENV_NO_SAVE=1 AWSENV_NO_PROMPT=1 command "$__awsenv_bin" assume --shell bash "$@" -- "$role" </dev/null) || return
  eval "$out"
}

use_awsenv_simulate() {
  if [ $# -eq 0 ]; then
    log_error "use awsenv_simulate: which role? e.g. 'use awsenv_simulate my-task --base-role power-user'"
    return 1
  fi
  local target=$1
  shift
  local out
  out=$(AWSENV_NO_SAVE=1 AWSENV_NO_PROMPT=1 command "$__awsenv_bin" simulate --quiet --shell bash --role-name "$target" "$@" </dev/null) || return
  eval "$out"
}
