# shellcheck shell=bash
# awsenv addition to clap's bash completion: AWS config profile names for ROLE.
_awsenv_profiles() {
    local f=${AWS_CONFIG_FILE:-$HOME/.aws/config} line
    [ -r "$f" ] || return 0
    while IFS= read -r line; do
        case $line in
            "[profile "*"]") line=${line#"[profile "}; printf '%s\n' "${line%"]"}" ;;
        esac
    done <"$f"
}

_awsenv_with_profiles() {
    _awsenv "$@"
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} p
    [[ $cur == -* || $prev == -* ]] && return 0
    case " ${COMP_WORDS[*]:1:COMP_CWORD-1} " in
        *" assume "* | *" exec "* | *" credential-process "*)
            while IFS= read -r p; do
                [[ $p == "$cur"* ]] && COMPREPLY+=("$p")
            done < <(_awsenv_profiles)
            ;;
    esac
    return 0
}

complete -F _awsenv_with_profiles -o bashdefault -o default awsenv
