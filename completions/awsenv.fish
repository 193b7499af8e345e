# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_awsenv_global_optspecs
    string join \n v/verbose h/help V/version
end

function __fish_awsenv_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_awsenv_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_awsenv_using_subcommand
    set -l cmd (__fish_awsenv_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c awsenv -n "__fish_awsenv_needs_command" -s v -l verbose -d 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
complete -c awsenv -n "__fish_awsenv_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c awsenv -n "__fish_awsenv_needs_command" -s V -l version -d 'Print version'
complete -c awsenv -n "__fish_awsenv_needs_command" -f -a "assume" -d 'Where and how `assume` and `simulate` write the session (the output holds secrets)'
complete -c awsenv -n "__fish_awsenv_needs_command" -f -a "simulate" -d 'Where and how `assume` and `simulate` write the session (the output holds secrets)'
complete -c awsenv -n "__fish_awsenv_needs_command" -f -a "exec" -d 'Run a command (default: your shell) with a role\'s credentials in its environment only'
complete -c awsenv -n "__fish_awsenv_needs_command" -f -a "serve" -d 'Serve a role\'s credentials to this shell from a local endpoint that renews them'
complete -c awsenv -n "__fish_awsenv_needs_command" -f -a "credential-process" -d 'Print a role\'s credentials as the JSON that `credential_process` in ~/.aws/config expects'
complete -c awsenv -n "__fish_awsenv_needs_command" -f -a "unset" -d 'Restore the environment saved before the first assume'
complete -c awsenv -n "__fish_awsenv_needs_command" -f -a "status" -d 'Show the active role, its session and the time left (from the environment alone)'
complete -c awsenv -n "__fish_awsenv_needs_command" -f -a "init" -d 'Print the shell integration (sudo-on, sudo-off, awsenv_prompt) for your rc file'
complete -c awsenv -n "__fish_awsenv_needs_command" -f -a "console" -d 'Open the AWS console signed in as the active role, or as ROLE (got as `assume` would)'
complete -c awsenv -n "__fish_awsenv_needs_command" -f -a "login" -d 'Sign in to IAM Identity Center (device code flow); the token serves awsenv, the AWS CLI and the SDKs'
complete -c awsenv -n "__fish_awsenv_needs_command" -f -a "logout" -d 'Sign out of IAM Identity Center and remove the cached token'
complete -c awsenv -n "__fish_awsenv_needs_command" -f -a "roles" -d 'List every role you can reach: IAM Identity Center accounts and roles of each signed-in session, and the profiles that name a role'
complete -c awsenv -n "__fish_awsenv_needs_command" -f -a "profiles" -d 'Manage AWS config profiles generated from IAM Identity Center'
complete -c awsenv -n "__fish_awsenv_needs_command" -f -a "doctor" -d 'Check the setup (shell, integration, directories, credentials, clock) and say how to fix what is wrong; exit 15 when something is'
complete -c awsenv -n "__fish_awsenv_needs_command" -f -a "completions" -d 'Print a completion script'
complete -c awsenv -n "__fish_awsenv_needs_command" -f -a "cache" -d 'Inspect or clear the credential cache'
complete -c awsenv -n "__fish_awsenv_needs_command" -f -a "broker" -d 'Deploy the broker that `simulate --remote` asks'
complete -c awsenv -n "__fish_awsenv_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c awsenv -n "__fish_awsenv_using_subcommand assume" -s s -l shell -d 'Shell to write code for [default: $AWSENV_SHELL, else the parent shell, else $SHELL]' -r -f -a "bash\t''
zsh\t''
fish\t''
powershell\t''
nu\t'nushell: the output is a record (null removes a variable) for `load-env`/`hide-env`'"
complete -c awsenv -n "__fish_awsenv_using_subcommand assume" -s d -l duration -d 'Session length: seconds or a span such as 1h, 15m (900..=43200) [default: 1h]' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand assume" -s n -l session-name -d 'RoleSessionName (2-64 of letters, digits, _+=,.@-) [default: awsenv-<user>]' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand assume" -s e -l external-id -d 'External id the role\'s trust policy asks for' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand assume" -s r -l region -d 'Region for STS and exported as AWS_REGION/AWS_DEFAULT_REGION' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand assume" -s p -l profile -d 'Take the source credentials from this AWS config profile' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand assume" -l mfa-serial -d 'MFA device serial or ARN the role requires' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand assume" -l token-code -d 'MFA code; without it awsenv asks on the terminal' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand assume" -l min-ttl -d 'Minimum life a cached session must have left to be reused [default: 5m, AWSENV_MIN_TTL]' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand assume" -l source-identity -d 'SourceIdentity to set on the session' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand assume" -l tag -d 'Session tag KEY=VALUE (repeatable)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand assume" -l policy -d 'Session policy: a file path or inline JSON' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand assume" -l policy-arn -d 'Managed policy ARN to use as a session policy (repeatable, at most 10)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand assume" -l sso-session -d 'Through this IAM Identity Center session (`awsenv login`): ROLE is ACCOUNT_ID:PERMISSION_SET, no profile needed' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand assume" -l write-profile -d 'Write the credentials to this profile of the shared credentials file instead' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand assume" -l format -d 'shell: code for eval; dotenv, docker (for `docker run --env-file`), json: the role\'s variables as data' -r -f -a "shell\t'Shell code for eval (the default)'
dotenv\t'KEY=\'value\' lines for python-dotenv, docker compose\'s env_file and other dotenv readers'
docker\t'KEY=value lines, taken literally by `docker run --env-file` (no newlines possible)'
json\t'A flat JSON object of the variables'"
complete -c awsenv -n "__fish_awsenv_using_subcommand assume" -s o -l output -d 'Write to FILE (mode 0600, atomically) instead of stdout' -r -F
complete -c awsenv -n "__fish_awsenv_using_subcommand assume" -s v -l verbose -d 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
complete -c awsenv -n "__fish_awsenv_using_subcommand assume" -l force -d 'Print even when stdout is a terminal (the output may hold secrets)'
complete -c awsenv -n "__fish_awsenv_using_subcommand assume" -l no-cache -d 'Ignore the credential cache (also AWSENV_NO_CACHE=1)'
complete -c awsenv -n "__fish_awsenv_using_subcommand assume" -l cache-only -d 'Answer from the credential cache only, never the network; no cached session: exit 14'
complete -c awsenv -n "__fish_awsenv_using_subcommand assume" -l chain -d 'Use the active awsenv role as the source (role chaining; sessions of at most 1h)'
complete -c awsenv -n "__fish_awsenv_using_subcommand assume" -l role -d 'Read ROLE as a role name even when an AWS config profile has that name'
complete -c awsenv -n "__fish_awsenv_using_subcommand assume" -l overwrite-keys -d 'With --write-profile: replace a section that holds long-term keys'
complete -c awsenv -n "__fish_awsenv_using_subcommand assume" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c awsenv -n "__fish_awsenv_using_subcommand assume" -s V -l version -d 'Print version'
complete -c awsenv -n "__fish_awsenv_using_subcommand simulate" -l role-name -d 'The role to act as: a name or ARN' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand simulate" -l base-role -d 'A role you may assume, in any form `assume` accepts (not with --remote: the broker has its own)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand simulate" -l broker -d 'The broker\'s function name or ARN (with --remote)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand simulate" -s s -l shell -d 'Shell to write code for [default: $AWSENV_SHELL, else the parent shell, else $SHELL]' -r -f -a "bash\t''
zsh\t''
fish\t''
powershell\t''
nu\t'nushell: the output is a record (null removes a variable) for `load-env`/`hide-env`'"
complete -c awsenv -n "__fish_awsenv_using_subcommand simulate" -s d -l duration -d 'Session length: seconds or a span such as 1h, 15m (900..=43200) [default: 1h]' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand simulate" -s n -l session-name -d 'RoleSessionName (2-64 of letters, digits, _+=,.@-) [default: awsenv-<user>]' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand simulate" -s e -l external-id -d 'External id the role\'s trust policy asks for' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand simulate" -s r -l region -d 'Region for STS and exported as AWS_REGION/AWS_DEFAULT_REGION' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand simulate" -s p -l profile -d 'Take the source credentials from this AWS config profile' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand simulate" -l mfa-serial -d 'MFA device serial or ARN the role requires' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand simulate" -l token-code -d 'MFA code; without it awsenv asks on the terminal' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand simulate" -l min-ttl -d 'Minimum life a cached session must have left to be reused [default: 5m, AWSENV_MIN_TTL]' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand simulate" -l format -d 'shell: code for eval; dotenv, docker (for `docker run --env-file`), json: the role\'s variables as data' -r -f -a "shell\t'Shell code for eval (the default)'
dotenv\t'KEY=\'value\' lines for python-dotenv, docker compose\'s env_file and other dotenv readers'
docker\t'KEY=value lines, taken literally by `docker run --env-file` (no newlines possible)'
json\t'A flat JSON object of the variables'"
complete -c awsenv -n "__fish_awsenv_using_subcommand simulate" -s o -l output -d 'Write to FILE (mode 0600, atomically) instead of stdout' -r -F
complete -c awsenv -n "__fish_awsenv_using_subcommand simulate" -l write-profile -d 'Write the credentials to this profile of the shared credentials file instead' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand simulate" -l refresh-before -d 'With --ecs-server: renew the session this long before it expires [default: 20m, or half the session]' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand simulate" -s v -l verbose -d 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
complete -c awsenv -n "__fish_awsenv_using_subcommand simulate" -l remote -d 'Ask the broker Lambda for the session instead of assuming a base role yourself'
complete -c awsenv -n "__fish_awsenv_using_subcommand simulate" -l ignore-boundary -d 'Simulate a target that has a permissions boundary without applying it (refused otherwise: no session policy can apply a boundary); says on stderr what it gives up'
complete -c awsenv -n "__fish_awsenv_using_subcommand simulate" -l force -d 'Print even when stdout is a terminal (the output may hold secrets)'
complete -c awsenv -n "__fish_awsenv_using_subcommand simulate" -l no-cache -d 'Ignore the credential cache (also AWSENV_NO_CACHE=1)'
complete -c awsenv -n "__fish_awsenv_using_subcommand simulate" -l cache-only -d 'Answer from the credential cache only, never the network; no cached session: exit 14'
complete -c awsenv -n "__fish_awsenv_using_subcommand simulate" -l dry-run -d 'Print the AssumeRole request that would be sent, as JSON, instead of exports'
complete -c awsenv -n "__fish_awsenv_using_subcommand simulate" -s q -l quiet -d 'Do not report the simulation\'s fidelity on stderr'
complete -c awsenv -n "__fish_awsenv_using_subcommand simulate" -l overwrite-keys -d 'With --write-profile: replace a section that holds long-term keys'
complete -c awsenv -n "__fish_awsenv_using_subcommand simulate" -l ecs-server -d 'Give CMD a local ECS-style credential endpoint that renews the session, not keys'
complete -c awsenv -n "__fish_awsenv_using_subcommand simulate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c awsenv -n "__fish_awsenv_using_subcommand simulate" -s V -l version -d 'Print version'
complete -c awsenv -n "__fish_awsenv_using_subcommand exec" -s s -l shell -d 'Shell to write code for [default: $AWSENV_SHELL, else the parent shell, else $SHELL]' -r -f -a "bash\t''
zsh\t''
fish\t''
powershell\t''
nu\t'nushell: the output is a record (null removes a variable) for `load-env`/`hide-env`'"
complete -c awsenv -n "__fish_awsenv_using_subcommand exec" -s d -l duration -d 'Session length: seconds or a span such as 1h, 15m (900..=43200) [default: 1h]' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand exec" -s n -l session-name -d 'RoleSessionName (2-64 of letters, digits, _+=,.@-) [default: awsenv-<user>]' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand exec" -s e -l external-id -d 'External id the role\'s trust policy asks for' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand exec" -s r -l region -d 'Region for STS and exported as AWS_REGION/AWS_DEFAULT_REGION' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand exec" -s p -l profile -d 'Take the source credentials from this AWS config profile' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand exec" -l mfa-serial -d 'MFA device serial or ARN the role requires' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand exec" -l token-code -d 'MFA code; without it awsenv asks on the terminal' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand exec" -l min-ttl -d 'Minimum life a cached session must have left to be reused [default: 5m, AWSENV_MIN_TTL]' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand exec" -l source-identity -d 'SourceIdentity to set on the session' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand exec" -l tag -d 'Session tag KEY=VALUE (repeatable)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand exec" -l policy -d 'Session policy: a file path or inline JSON' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand exec" -l policy-arn -d 'Managed policy ARN to use as a session policy (repeatable, at most 10)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand exec" -l sso-session -d 'Through this IAM Identity Center session (`awsenv login`): ROLE is ACCOUNT_ID:PERMISSION_SET, no profile needed' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand exec" -l write-profile -d 'Write the credentials to this profile of the shared credentials file instead' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand exec" -l refresh-before -d 'With --ecs-server: renew the session this long before it expires [default: 20m, or half the session]' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand exec" -s v -l verbose -d 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
complete -c awsenv -n "__fish_awsenv_using_subcommand exec" -l force -d 'Print even when stdout is a terminal (the output may hold secrets)'
complete -c awsenv -n "__fish_awsenv_using_subcommand exec" -l no-cache -d 'Ignore the credential cache (also AWSENV_NO_CACHE=1)'
complete -c awsenv -n "__fish_awsenv_using_subcommand exec" -l cache-only -d 'Answer from the credential cache only, never the network; no cached session: exit 14'
complete -c awsenv -n "__fish_awsenv_using_subcommand exec" -l chain -d 'Use the active awsenv role as the source (role chaining; sessions of at most 1h)'
complete -c awsenv -n "__fish_awsenv_using_subcommand exec" -l role -d 'Read ROLE as a role name even when an AWS config profile has that name'
complete -c awsenv -n "__fish_awsenv_using_subcommand exec" -l overwrite-keys -d 'With --write-profile: replace a section that holds long-term keys'
complete -c awsenv -n "__fish_awsenv_using_subcommand exec" -l ecs-server -d 'Give CMD a local ECS-style credential endpoint that renews the session, not keys'
complete -c awsenv -n "__fish_awsenv_using_subcommand exec" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c awsenv -n "__fish_awsenv_using_subcommand exec" -s V -l version -d 'Print version'
complete -c awsenv -n "__fish_awsenv_using_subcommand serve" -s s -l shell -d 'Shell to write code for [default: $AWSENV_SHELL, else the parent shell, else $SHELL]' -r -f -a "bash\t''
zsh\t''
fish\t''
powershell\t''
nu\t'nushell: the output is a record (null removes a variable) for `load-env`/`hide-env`'"
complete -c awsenv -n "__fish_awsenv_using_subcommand serve" -s d -l duration -d 'Session length: seconds or a span such as 1h, 15m (900..=43200) [default: 1h]' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand serve" -s n -l session-name -d 'RoleSessionName (2-64 of letters, digits, _+=,.@-) [default: awsenv-<user>]' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand serve" -s e -l external-id -d 'External id the role\'s trust policy asks for' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand serve" -s r -l region -d 'Region for STS and exported as AWS_REGION/AWS_DEFAULT_REGION' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand serve" -s p -l profile -d 'Take the source credentials from this AWS config profile' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand serve" -l mfa-serial -d 'MFA device serial or ARN the role requires' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand serve" -l token-code -d 'MFA code; without it awsenv asks on the terminal' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand serve" -l min-ttl -d 'Minimum life a cached session must have left to be reused [default: 5m, AWSENV_MIN_TTL]' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand serve" -l source-identity -d 'SourceIdentity to set on the session' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand serve" -l tag -d 'Session tag KEY=VALUE (repeatable)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand serve" -l policy -d 'Session policy: a file path or inline JSON' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand serve" -l policy-arn -d 'Managed policy ARN to use as a session policy (repeatable, at most 10)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand serve" -l sso-session -d 'Through this IAM Identity Center session (`awsenv login`): ROLE is ACCOUNT_ID:PERMISSION_SET, no profile needed' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand serve" -l write-profile -d 'Write the credentials to this profile of the shared credentials file instead' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand serve" -l refresh-before -d 'Renew the session this long before it expires [default: 20m, or half the session]' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand serve" -s v -l verbose -d 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
complete -c awsenv -n "__fish_awsenv_using_subcommand serve" -l force -d 'Print even when stdout is a terminal (the output may hold secrets)'
complete -c awsenv -n "__fish_awsenv_using_subcommand serve" -l no-cache -d 'Ignore the credential cache (also AWSENV_NO_CACHE=1)'
complete -c awsenv -n "__fish_awsenv_using_subcommand serve" -l cache-only -d 'Answer from the credential cache only, never the network; no cached session: exit 14'
complete -c awsenv -n "__fish_awsenv_using_subcommand serve" -l chain -d 'Use the active awsenv role as the source (role chaining; sessions of at most 1h)'
complete -c awsenv -n "__fish_awsenv_using_subcommand serve" -l role -d 'Read ROLE as a role name even when an AWS config profile has that name'
complete -c awsenv -n "__fish_awsenv_using_subcommand serve" -l overwrite-keys -d 'With --write-profile: replace a section that holds long-term keys'
complete -c awsenv -n "__fish_awsenv_using_subcommand serve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c awsenv -n "__fish_awsenv_using_subcommand serve" -s V -l version -d 'Print version'
complete -c awsenv -n "__fish_awsenv_using_subcommand credential-process" -s s -l shell -d 'Shell to write code for [default: $AWSENV_SHELL, else the parent shell, else $SHELL]' -r -f -a "bash\t''
zsh\t''
fish\t''
powershell\t''
nu\t'nushell: the output is a record (null removes a variable) for `load-env`/`hide-env`'"
complete -c awsenv -n "__fish_awsenv_using_subcommand credential-process" -s d -l duration -d 'Session length: seconds or a span such as 1h, 15m (900..=43200) [default: 1h]' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand credential-process" -s n -l session-name -d 'RoleSessionName (2-64 of letters, digits, _+=,.@-) [default: awsenv-<user>]' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand credential-process" -s e -l external-id -d 'External id the role\'s trust policy asks for' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand credential-process" -s r -l region -d 'Region for STS and exported as AWS_REGION/AWS_DEFAULT_REGION' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand credential-process" -s p -l profile -d 'Take the source credentials from this AWS config profile' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand credential-process" -l mfa-serial -d 'MFA device serial or ARN the role requires' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand credential-process" -l token-code -d 'MFA code; without it awsenv asks on the terminal' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand credential-process" -l min-ttl -d 'Minimum life a cached session must have left to be reused [default: 5m, AWSENV_MIN_TTL]' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand credential-process" -l source-identity -d 'SourceIdentity to set on the session' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand credential-process" -l tag -d 'Session tag KEY=VALUE (repeatable)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand credential-process" -l policy -d 'Session policy: a file path or inline JSON' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand credential-process" -l policy-arn -d 'Managed policy ARN to use as a session policy (repeatable, at most 10)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand credential-process" -l sso-session -d 'Through this IAM Identity Center session (`awsenv login`): ROLE is ACCOUNT_ID:PERMISSION_SET, no profile needed' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand credential-process" -l write-profile -d 'Write the credentials to this profile of the shared credentials file instead' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand credential-process" -s v -l verbose -d 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
complete -c awsenv -n "__fish_awsenv_using_subcommand credential-process" -l force -d 'Print even when stdout is a terminal (the output may hold secrets)'
complete -c awsenv -n "__fish_awsenv_using_subcommand credential-process" -l no-cache -d 'Ignore the credential cache (also AWSENV_NO_CACHE=1)'
complete -c awsenv -n "__fish_awsenv_using_subcommand credential-process" -l cache-only -d 'Answer from the credential cache only, never the network; no cached session: exit 14'
complete -c awsenv -n "__fish_awsenv_using_subcommand credential-process" -l chain -d 'Use the active awsenv role as the source (role chaining; sessions of at most 1h)'
complete -c awsenv -n "__fish_awsenv_using_subcommand credential-process" -l role -d 'Read ROLE as a role name even when an AWS config profile has that name'
complete -c awsenv -n "__fish_awsenv_using_subcommand credential-process" -l overwrite-keys -d 'With --write-profile: replace a section that holds long-term keys'
complete -c awsenv -n "__fish_awsenv_using_subcommand credential-process" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c awsenv -n "__fish_awsenv_using_subcommand credential-process" -s V -l version -d 'Print version'
complete -c awsenv -n "__fish_awsenv_using_subcommand unset" -s s -l shell -d 'Shell to write code for [default: $AWSENV_SHELL, else the parent shell, else $SHELL]' -r -f -a "bash\t''
zsh\t''
fish\t''
powershell\t''
nu\t'nushell: the output is a record (null removes a variable) for `load-env`/`hide-env`'"
complete -c awsenv -n "__fish_awsenv_using_subcommand unset" -s v -l verbose -d 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
complete -c awsenv -n "__fish_awsenv_using_subcommand unset" -l force -d 'Print even when stdout is a terminal (the output may hold secrets)'
complete -c awsenv -n "__fish_awsenv_using_subcommand unset" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c awsenv -n "__fish_awsenv_using_subcommand unset" -s V -l version -d 'Print version'
complete -c awsenv -n "__fish_awsenv_using_subcommand status" -s v -l verbose -d 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
complete -c awsenv -n "__fish_awsenv_using_subcommand status" -l json -d 'Print JSON'
complete -c awsenv -n "__fish_awsenv_using_subcommand status" -s h -l help -d 'Print help'
complete -c awsenv -n "__fish_awsenv_using_subcommand status" -s V -l version -d 'Print version'
complete -c awsenv -n "__fish_awsenv_using_subcommand init" -s v -l verbose -d 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
complete -c awsenv -n "__fish_awsenv_using_subcommand init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c awsenv -n "__fish_awsenv_using_subcommand init" -s V -l version -d 'Print version'
complete -c awsenv -n "__fish_awsenv_using_subcommand console" -s d -l duration -d 'Session length: seconds or a span such as 1h, 15m (900..=43200) [default: 1h]' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand console" -s n -l session-name -d 'RoleSessionName (2-64 of letters, digits, _+=,.@-) [default: awsenv-<user>]' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand console" -s e -l external-id -d 'External id the role\'s trust policy asks for' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand console" -s r -l region -d 'Region for STS and exported as AWS_REGION/AWS_DEFAULT_REGION' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand console" -s p -l profile -d 'Take the source credentials from this AWS config profile' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand console" -l mfa-serial -d 'MFA device serial or ARN the role requires' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand console" -l token-code -d 'MFA code; without it awsenv asks on the terminal' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand console" -l min-ttl -d 'Minimum life a cached session must have left to be reused [default: 5m, AWSENV_MIN_TTL]' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand console" -l source-identity -d 'SourceIdentity to set on the session' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand console" -l tag -d 'Session tag KEY=VALUE (repeatable)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand console" -l policy -d 'Session policy: a file path or inline JSON' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand console" -l policy-arn -d 'Managed policy ARN to use as a session policy (repeatable, at most 10)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand console" -l sso-session -d 'Through this IAM Identity Center session (`awsenv login`): ROLE is ACCOUNT_ID:PERMISSION_SET, no profile needed' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand console" -l service -d 'Open this service\'s console page (s3, ec2, iam, …) in the session\'s region' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand console" -l destination -d 'Open this console URL (https://…) after signing in' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand console" -s s -l shell -d 'Shell to write code for [default: $AWSENV_SHELL, else the parent shell, else $SHELL]' -r -f -a "bash\t''
zsh\t''
fish\t''
powershell\t''
nu\t'nushell: the output is a record (null removes a variable) for `load-env`/`hide-env`'"
complete -c awsenv -n "__fish_awsenv_using_subcommand console" -l write-profile -d 'Write the credentials to this profile of the shared credentials file instead' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand console" -s v -l verbose -d 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
complete -c awsenv -n "__fish_awsenv_using_subcommand console" -l force -d 'Print even when stdout is a terminal (the output may hold secrets)'
complete -c awsenv -n "__fish_awsenv_using_subcommand console" -l no-cache -d 'Ignore the credential cache (also AWSENV_NO_CACHE=1)'
complete -c awsenv -n "__fish_awsenv_using_subcommand console" -l cache-only -d 'Answer from the credential cache only, never the network; no cached session: exit 14'
complete -c awsenv -n "__fish_awsenv_using_subcommand console" -l chain -d 'Use the active awsenv role as the source (role chaining; sessions of at most 1h)'
complete -c awsenv -n "__fish_awsenv_using_subcommand console" -l role -d 'Read ROLE as a role name even when an AWS config profile has that name'
complete -c awsenv -n "__fish_awsenv_using_subcommand console" -l print -d 'Print the sign-in URL instead of opening a browser. It is a credential: anyone who has it is signed in for 15 minutes; refused on a terminal without --force'
complete -c awsenv -n "__fish_awsenv_using_subcommand console" -l overwrite-keys -d 'With --write-profile: replace a section that holds long-term keys'
complete -c awsenv -n "__fish_awsenv_using_subcommand console" -s h -l help -d 'Print help'
complete -c awsenv -n "__fish_awsenv_using_subcommand console" -s V -l version -d 'Print version'
complete -c awsenv -n "__fish_awsenv_using_subcommand login" -l sso-session -d 'The [sso-session NAME] of the AWS config file to sign in to' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand login" -s v -l verbose -d 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
complete -c awsenv -n "__fish_awsenv_using_subcommand login" -l no-browser -d 'Do not open a browser; open the printed URL yourself (on any device)'
complete -c awsenv -n "__fish_awsenv_using_subcommand login" -s h -l help -d 'Print help'
complete -c awsenv -n "__fish_awsenv_using_subcommand login" -s V -l version -d 'Print version'
complete -c awsenv -n "__fish_awsenv_using_subcommand logout" -l sso-session -d 'The [sso-session NAME] to sign out of [default: the only one configured]' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand logout" -s v -l verbose -d 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
complete -c awsenv -n "__fish_awsenv_using_subcommand logout" -s h -l help -d 'Print help'
complete -c awsenv -n "__fish_awsenv_using_subcommand logout" -s V -l version -d 'Print version'
complete -c awsenv -n "__fish_awsenv_using_subcommand roles" -l format -d 'Output format [default: table]' -r -f -a "table\t''
json\t''"
complete -c awsenv -n "__fish_awsenv_using_subcommand roles" -s v -l verbose -d 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
complete -c awsenv -n "__fish_awsenv_using_subcommand roles" -l refresh -d 'Ask IAM Identity Center again instead of using the hour-long cache'
complete -c awsenv -n "__fish_awsenv_using_subcommand roles" -s h -l help -d 'Print help'
complete -c awsenv -n "__fish_awsenv_using_subcommand roles" -s V -l version -d 'Print version'
complete -c awsenv -n "__fish_awsenv_using_subcommand profiles; and not __fish_seen_subcommand_from sync help" -s v -l verbose -d 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
complete -c awsenv -n "__fish_awsenv_using_subcommand profiles; and not __fish_seen_subcommand_from sync help" -s h -l help -d 'Print help'
complete -c awsenv -n "__fish_awsenv_using_subcommand profiles; and not __fish_seen_subcommand_from sync help" -s V -l version -d 'Print version'
complete -c awsenv -n "__fish_awsenv_using_subcommand profiles; and not __fish_seen_subcommand_from sync help" -f -a "sync" -d 'Write one profile per account and role of an SSO session into a block of the AWS config file that awsenv owns and regenerates; the rest of the file stays as it was'
complete -c awsenv -n "__fish_awsenv_using_subcommand profiles; and not __fish_seen_subcommand_from sync help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c awsenv -n "__fish_awsenv_using_subcommand profiles; and __fish_seen_subcommand_from sync" -l sso-session -d 'The [sso-session NAME] whose accounts and roles to write' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand profiles; and __fish_seen_subcommand_from sync" -l template -d 'Profile names: {account_name}, {account_id}, {role_name}, {session}; sanitised to letters, digits and -_. and made unique' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand profiles; and __fish_seen_subcommand_from sync" -l refresh -d 'Ask IAM Identity Center again instead of using the hour-long cache'
complete -c awsenv -n "__fish_awsenv_using_subcommand profiles; and __fish_seen_subcommand_from sync" -l dry-run -d 'Print the change as a unified diff; write nothing'
complete -c awsenv -n "__fish_awsenv_using_subcommand profiles; and __fish_seen_subcommand_from sync" -s v -l verbose -d 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
complete -c awsenv -n "__fish_awsenv_using_subcommand profiles; and __fish_seen_subcommand_from sync" -s h -l help -d 'Print help'
complete -c awsenv -n "__fish_awsenv_using_subcommand profiles; and __fish_seen_subcommand_from sync" -s V -l version -d 'Print version'
complete -c awsenv -n "__fish_awsenv_using_subcommand profiles; and __fish_seen_subcommand_from help" -f -a "sync" -d 'Write one profile per account and role of an SSO session into a block of the AWS config file that awsenv owns and regenerates; the rest of the file stays as it was'
complete -c awsenv -n "__fish_awsenv_using_subcommand profiles; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c awsenv -n "__fish_awsenv_using_subcommand doctor" -s s -l shell -d 'Check for this shell instead of the one doctor runs in' -r -f -a "bash\t''
zsh\t''
fish\t''
powershell\t''
nu\t'nushell: the output is a record (null removes a variable) for `load-env`/`hide-env`'"
complete -c awsenv -n "__fish_awsenv_using_subcommand doctor" -s v -l verbose -d 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
complete -c awsenv -n "__fish_awsenv_using_subcommand doctor" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c awsenv -n "__fish_awsenv_using_subcommand doctor" -s V -l version -d 'Print version'
complete -c awsenv -n "__fish_awsenv_using_subcommand completions" -s v -l verbose -d 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
complete -c awsenv -n "__fish_awsenv_using_subcommand completions" -s h -l help -d 'Print help'
complete -c awsenv -n "__fish_awsenv_using_subcommand completions" -s V -l version -d 'Print version'
complete -c awsenv -n "__fish_awsenv_using_subcommand cache; and not __fish_seen_subcommand_from list clear dir help" -s v -l verbose -d 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
complete -c awsenv -n "__fish_awsenv_using_subcommand cache; and not __fish_seen_subcommand_from list clear dir help" -s h -l help -d 'Print help'
complete -c awsenv -n "__fish_awsenv_using_subcommand cache; and not __fish_seen_subcommand_from list clear dir help" -s V -l version -d 'Print version'
complete -c awsenv -n "__fish_awsenv_using_subcommand cache; and not __fish_seen_subcommand_from list clear dir help" -f -a "list" -d 'List cached sessions (role, expiry, size; never secrets)'
complete -c awsenv -n "__fish_awsenv_using_subcommand cache; and not __fish_seen_subcommand_from list clear dir help" -f -a "clear" -d 'Remove cached sessions, all or those of one role'
complete -c awsenv -n "__fish_awsenv_using_subcommand cache; and not __fish_seen_subcommand_from list clear dir help" -f -a "dir" -d 'Print the cache directory'
complete -c awsenv -n "__fish_awsenv_using_subcommand cache; and not __fish_seen_subcommand_from list clear dir help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c awsenv -n "__fish_awsenv_using_subcommand cache; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
complete -c awsenv -n "__fish_awsenv_using_subcommand cache; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c awsenv -n "__fish_awsenv_using_subcommand cache; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c awsenv -n "__fish_awsenv_using_subcommand cache; and __fish_seen_subcommand_from clear" -s v -l verbose -d 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
complete -c awsenv -n "__fish_awsenv_using_subcommand cache; and __fish_seen_subcommand_from clear" -s h -l help -d 'Print help'
complete -c awsenv -n "__fish_awsenv_using_subcommand cache; and __fish_seen_subcommand_from clear" -s V -l version -d 'Print version'
complete -c awsenv -n "__fish_awsenv_using_subcommand cache; and __fish_seen_subcommand_from dir" -s v -l verbose -d 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
complete -c awsenv -n "__fish_awsenv_using_subcommand cache; and __fish_seen_subcommand_from dir" -s h -l help -d 'Print help'
complete -c awsenv -n "__fish_awsenv_using_subcommand cache; and __fish_seen_subcommand_from dir" -s V -l version -d 'Print version'
complete -c awsenv -n "__fish_awsenv_using_subcommand cache; and __fish_seen_subcommand_from help" -f -a "list" -d 'List cached sessions (role, expiry, size; never secrets)'
complete -c awsenv -n "__fish_awsenv_using_subcommand cache; and __fish_seen_subcommand_from help" -f -a "clear" -d 'Remove cached sessions, all or those of one role'
complete -c awsenv -n "__fish_awsenv_using_subcommand cache; and __fish_seen_subcommand_from help" -f -a "dir" -d 'Print the cache directory'
complete -c awsenv -n "__fish_awsenv_using_subcommand cache; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c awsenv -n "__fish_awsenv_using_subcommand broker; and not __fish_seen_subcommand_from template help" -s v -l verbose -d 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
complete -c awsenv -n "__fish_awsenv_using_subcommand broker; and not __fish_seen_subcommand_from template help" -s h -l help -d 'Print help'
complete -c awsenv -n "__fish_awsenv_using_subcommand broker; and not __fish_seen_subcommand_from template help" -s V -l version -d 'Print version'
complete -c awsenv -n "__fish_awsenv_using_subcommand broker; and not __fish_seen_subcommand_from template help" -f -a "template" -d 'Print the CloudFormation template (JSON) that deploys the broker'
complete -c awsenv -n "__fish_awsenv_using_subcommand broker; and not __fish_seen_subcommand_from template help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c awsenv -n "__fish_awsenv_using_subcommand broker; and __fish_seen_subcommand_from template" -s v -l verbose -d 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
complete -c awsenv -n "__fish_awsenv_using_subcommand broker; and __fish_seen_subcommand_from template" -s h -l help -d 'Print help'
complete -c awsenv -n "__fish_awsenv_using_subcommand broker; and __fish_seen_subcommand_from template" -s V -l version -d 'Print version'
complete -c awsenv -n "__fish_awsenv_using_subcommand broker; and __fish_seen_subcommand_from help" -f -a "template" -d 'Print the CloudFormation template (JSON) that deploys the broker'
complete -c awsenv -n "__fish_awsenv_using_subcommand broker; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c awsenv -n "__fish_awsenv_using_subcommand help; and not __fish_seen_subcommand_from assume simulate exec serve credential-process unset status init console login logout roles profiles doctor completions cache broker help" -f -a "assume" -d 'Assume a role and print the exports for your shell'
complete -c awsenv -n "__fish_awsenv_using_subcommand help; and not __fish_seen_subcommand_from assume simulate exec serve credential-process unset status init console login logout roles profiles doctor completions cache broker help" -f -a "simulate" -d 'Act as a role you may not assume: a base role limited by the target role\'s policies'
complete -c awsenv -n "__fish_awsenv_using_subcommand help; and not __fish_seen_subcommand_from assume simulate exec serve credential-process unset status init console login logout roles profiles doctor completions cache broker help" -f -a "exec" -d 'Run a command (default: your shell) with a role\'s credentials in its environment only'
complete -c awsenv -n "__fish_awsenv_using_subcommand help; and not __fish_seen_subcommand_from assume simulate exec serve credential-process unset status init console login logout roles profiles doctor completions cache broker help" -f -a "serve" -d 'Serve a role\'s credentials to this shell from a local endpoint that renews them'
complete -c awsenv -n "__fish_awsenv_using_subcommand help; and not __fish_seen_subcommand_from assume simulate exec serve credential-process unset status init console login logout roles profiles doctor completions cache broker help" -f -a "credential-process" -d 'Print a role\'s credentials as the JSON that `credential_process` in ~/.aws/config expects'
complete -c awsenv -n "__fish_awsenv_using_subcommand help; and not __fish_seen_subcommand_from assume simulate exec serve credential-process unset status init console login logout roles profiles doctor completions cache broker help" -f -a "unset" -d 'Restore the environment saved before the first assume'
complete -c awsenv -n "__fish_awsenv_using_subcommand help; and not __fish_seen_subcommand_from assume simulate exec serve credential-process unset status init console login logout roles profiles doctor completions cache broker help" -f -a "status" -d 'Show the active role, its session and the time left (from the environment alone)'
complete -c awsenv -n "__fish_awsenv_using_subcommand help; and not __fish_seen_subcommand_from assume simulate exec serve credential-process unset status init console login logout roles profiles doctor completions cache broker help" -f -a "init" -d 'Print the shell integration (sudo-on, sudo-off, awsenv_prompt) for your rc file'
complete -c awsenv -n "__fish_awsenv_using_subcommand help; and not __fish_seen_subcommand_from assume simulate exec serve credential-process unset status init console login logout roles profiles doctor completions cache broker help" -f -a "console" -d 'Open the AWS console signed in as the active role, or as ROLE (got as `assume` would)'
complete -c awsenv -n "__fish_awsenv_using_subcommand help; and not __fish_seen_subcommand_from assume simulate exec serve credential-process unset status init console login logout roles profiles doctor completions cache broker help" -f -a "login" -d 'Sign in to IAM Identity Center (device code flow); the token serves awsenv, the AWS CLI and the SDKs'
complete -c awsenv -n "__fish_awsenv_using_subcommand help; and not __fish_seen_subcommand_from assume simulate exec serve credential-process unset status init console login logout roles profiles doctor completions cache broker help" -f -a "logout" -d 'Sign out of IAM Identity Center and remove the cached token'
complete -c awsenv -n "__fish_awsenv_using_subcommand help; and not __fish_seen_subcommand_from assume simulate exec serve credential-process unset status init console login logout roles profiles doctor completions cache broker help" -f -a "roles" -d 'List every role you can reach: IAM Identity Center accounts and roles of each signed-in session, and the profiles that name a role'
complete -c awsenv -n "__fish_awsenv_using_subcommand help; and not __fish_seen_subcommand_from assume simulate exec serve credential-process unset status init console login logout roles profiles doctor completions cache broker help" -f -a "profiles" -d 'Manage AWS config profiles generated from IAM Identity Center'
complete -c awsenv -n "__fish_awsenv_using_subcommand help; and not __fish_seen_subcommand_from assume simulate exec serve credential-process unset status init console login logout roles profiles doctor completions cache broker help" -f -a "doctor" -d 'Check the setup (shell, integration, directories, credentials, clock) and say how to fix what is wrong; exit 15 when something is'
complete -c awsenv -n "__fish_awsenv_using_subcommand help; and not __fish_seen_subcommand_from assume simulate exec serve credential-process unset status init console login logout roles profiles doctor completions cache broker help" -f -a "completions" -d 'Print a completion script'
complete -c awsenv -n "__fish_awsenv_using_subcommand help; and not __fish_seen_subcommand_from assume simulate exec serve credential-process unset status init console login logout roles profiles doctor completions cache broker help" -f -a "cache" -d 'Inspect or clear the credential cache'
complete -c awsenv -n "__fish_awsenv_using_subcommand help; and not __fish_seen_subcommand_from assume simulate exec serve credential-process unset status init console login logout roles profiles doctor completions cache broker help" -f -a "broker" -d 'Deploy the broker that `simulate --remote` asks'
complete -c awsenv -n "__fish_awsenv_using_subcommand help; and not __fish_seen_subcommand_from assume simulate exec serve credential-process unset status init console login logout roles profiles doctor completions cache broker help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'

# awsenv addition to clap's fish completion: AWS config profile names for ROLE.
function __awsenv_profiles
    set -l f $HOME/.aws/config
    set -q AWS_CONFIG_FILE; and test -n "$AWS_CONFIG_FILE"; and set f $AWS_CONFIG_FILE
    test -r $f; or return 0
    string replace -rf '^\s*\[profile\s+([^\]]+)\]\s*$' '$1' <$f
end
complete -c awsenv -n "__fish_seen_subcommand_from assume exec credential-process" -f -a "(__awsenv_profiles)" -d 'AWS profile'
