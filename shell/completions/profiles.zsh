# awsenv addition to clap's zsh completion: AWS config profile names for ROLE.
(( $+functions[_awsenv_profiles] )) ||
_awsenv_profiles() {
    local f=${AWS_CONFIG_FILE:-$HOME/.aws/config}
    local -a lines profiles
    if [[ -r $f ]]; then
        lines=(${(f)"$(<$f)"})
        profiles=(${(M)lines:#\[profile *\]})
        profiles=(${${profiles#\[profile }%\]})
    fi
    compadd -a profiles
    _default
}

