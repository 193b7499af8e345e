# awsenv addition to clap's fish completion: AWS config profile names for ROLE.
function __awsenv_profiles
    set -l f $HOME/.aws/config
    set -q AWS_CONFIG_FILE; and test -n "$AWS_CONFIG_FILE"; and set f $AWS_CONFIG_FILE
    test -r $f; or return 0
    string replace -rf '^\s*\[profile\s+([^\]]+)\]\s*$' '$1' <$f
end
complete -c awsenv -n "__fish_seen_subcommand_from assume exec credential-process" -f -a "(__awsenv_profiles)" -d 'AWS profile'
