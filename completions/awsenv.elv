
use builtin;
use str;

set edit:completion:arg-completer[awsenv] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'awsenv'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'awsenv'= {
            cand -v 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
            cand --verbose 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand assume 'Where and how `assume` and `simulate` write the session (the output holds secrets)'
            cand simulate 'Where and how `assume` and `simulate` write the session (the output holds secrets)'
            cand exec 'Run a command (default: your shell) with a role''s credentials in its environment only'
            cand serve 'Serve a role''s credentials to this shell from a local endpoint that renews them'
            cand credential-process 'Print a role''s credentials as the JSON that `credential_process` in ~/.aws/config expects'
            cand unset 'Restore the environment saved before the first assume'
            cand status 'Show the active role, its session and the time left (from the environment alone)'
            cand init 'Print the shell integration (sudo-on, sudo-off, awsenv_prompt) for your rc file'
            cand console 'Open the AWS console signed in as the active role, or as ROLE (got as `assume` would)'
            cand login 'Sign in to IAM Identity Center (device code flow); the token serves awsenv, the AWS CLI and the SDKs'
            cand logout 'Sign out of IAM Identity Center and remove the cached token'
            cand roles 'List every role you can reach: IAM Identity Center accounts and roles of each signed-in session, and the profiles that name a role'
            cand profiles 'Manage AWS config profiles generated from IAM Identity Center'
            cand doctor 'Check the setup (shell, integration, directories, credentials, clock) and say how to fix what is wrong; exit 15 when something is'
            cand completions 'Print a completion script'
            cand cache 'Inspect or clear the credential cache'
            cand broker 'Deploy the broker that `simulate --remote` asks'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'awsenv;assume'= {
            cand -s 'Shell to write code for [default: $AWSENV_SHELL, else the parent shell, else $SHELL]'
            cand --shell 'Shell to write code for [default: $AWSENV_SHELL, else the parent shell, else $SHELL]'
            cand -d 'Session length: seconds or a span such as 1h, 15m (900..=43200) [default: 1h]'
            cand --duration 'Session length: seconds or a span such as 1h, 15m (900..=43200) [default: 1h]'
            cand -n 'RoleSessionName (2-64 of letters, digits, _+=,.@-) [default: awsenv-<user>]'
            cand --session-name 'RoleSessionName (2-64 of letters, digits, _+=,.@-) [default: awsenv-<user>]'
            cand -e 'External id the role''s trust policy asks for'
            cand --external-id 'External id the role''s trust policy asks for'
            cand -r 'Region for STS and exported as AWS_REGION/AWS_DEFAULT_REGION'
            cand --region 'Region for STS and exported as AWS_REGION/AWS_DEFAULT_REGION'
            cand -p 'Take the source credentials from this AWS config profile'
            cand --profile 'Take the source credentials from this AWS config profile'
            cand --mfa-serial 'MFA device serial or ARN the role requires'
            cand --token-code 'MFA code; without it awsenv asks on the terminal'
            cand --min-ttl 'Minimum life a cached session must have left to be reused [default: 5m, AWSENV_MIN_TTL]'
            cand --source-identity 'SourceIdentity to set on the session'
            cand --tag 'Session tag KEY=VALUE (repeatable)'
            cand --policy 'Session policy: a file path or inline JSON'
            cand --policy-arn 'Managed policy ARN to use as a session policy (repeatable, at most 10)'
            cand --sso-session 'Through this IAM Identity Center session (`awsenv login`): ROLE is ACCOUNT_ID:PERMISSION_SET, no profile needed'
            cand --write-profile 'Write the credentials to this profile of the shared credentials file instead'
            cand --format 'shell: code for eval; dotenv, docker (for `docker run --env-file`), json: the role''s variables as data'
            cand -o 'Write to FILE (mode 0600, atomically) instead of stdout'
            cand --output 'Write to FILE (mode 0600, atomically) instead of stdout'
            cand -v 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
            cand --verbose 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
            cand --force 'Print even when stdout is a terminal (the output may hold secrets)'
            cand --no-cache 'Ignore the credential cache (also AWSENV_NO_CACHE=1)'
            cand --cache-only 'Answer from the credential cache only, never the network; no cached session: exit 14'
            cand --chain 'Use the active awsenv role as the source (role chaining; sessions of at most 1h)'
            cand --role 'Read ROLE as a role name even when an AWS config profile has that name'
            cand --overwrite-keys 'With --write-profile: replace a section that holds long-term keys'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'awsenv;simulate'= {
            cand --role-name 'The role to act as: a name or ARN'
            cand --base-role 'A role you may assume, in any form `assume` accepts (not with --remote: the broker has its own)'
            cand --broker 'The broker''s function name or ARN (with --remote)'
            cand -s 'Shell to write code for [default: $AWSENV_SHELL, else the parent shell, else $SHELL]'
            cand --shell 'Shell to write code for [default: $AWSENV_SHELL, else the parent shell, else $SHELL]'
            cand -d 'Session length: seconds or a span such as 1h, 15m (900..=43200) [default: 1h]'
            cand --duration 'Session length: seconds or a span such as 1h, 15m (900..=43200) [default: 1h]'
            cand -n 'RoleSessionName (2-64 of letters, digits, _+=,.@-) [default: awsenv-<user>]'
            cand --session-name 'RoleSessionName (2-64 of letters, digits, _+=,.@-) [default: awsenv-<user>]'
            cand -e 'External id the role''s trust policy asks for'
            cand --external-id 'External id the role''s trust policy asks for'
            cand -r 'Region for STS and exported as AWS_REGION/AWS_DEFAULT_REGION'
            cand --region 'Region for STS and exported as AWS_REGION/AWS_DEFAULT_REGION'
            cand -p 'Take the source credentials from this AWS config profile'
            cand --profile 'Take the source credentials from this AWS config profile'
            cand --mfa-serial 'MFA device serial or ARN the role requires'
            cand --token-code 'MFA code; without it awsenv asks on the terminal'
            cand --min-ttl 'Minimum life a cached session must have left to be reused [default: 5m, AWSENV_MIN_TTL]'
            cand --format 'shell: code for eval; dotenv, docker (for `docker run --env-file`), json: the role''s variables as data'
            cand -o 'Write to FILE (mode 0600, atomically) instead of stdout'
            cand --output 'Write to FILE (mode 0600, atomically) instead of stdout'
            cand --write-profile 'Write the credentials to this profile of the shared credentials file instead'
            cand --refresh-before 'With --ecs-server: renew the session this long before it expires [default: 20m, or half the session]'
            cand -v 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
            cand --verbose 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
            cand --remote 'Ask the broker Lambda for the session instead of assuming a base role yourself'
            cand --ignore-boundary 'Simulate a target that has a permissions boundary without applying it (refused otherwise: no session policy can apply a boundary); says on stderr what it gives up'
            cand --force 'Print even when stdout is a terminal (the output may hold secrets)'
            cand --no-cache 'Ignore the credential cache (also AWSENV_NO_CACHE=1)'
            cand --cache-only 'Answer from the credential cache only, never the network; no cached session: exit 14'
            cand --dry-run 'Print the AssumeRole request that would be sent, as JSON, instead of exports'
            cand -q 'Do not report the simulation''s fidelity on stderr'
            cand --quiet 'Do not report the simulation''s fidelity on stderr'
            cand --overwrite-keys 'With --write-profile: replace a section that holds long-term keys'
            cand --ecs-server 'Give CMD a local ECS-style credential endpoint that renews the session, not keys'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'awsenv;exec'= {
            cand -s 'Shell to write code for [default: $AWSENV_SHELL, else the parent shell, else $SHELL]'
            cand --shell 'Shell to write code for [default: $AWSENV_SHELL, else the parent shell, else $SHELL]'
            cand -d 'Session length: seconds or a span such as 1h, 15m (900..=43200) [default: 1h]'
            cand --duration 'Session length: seconds or a span such as 1h, 15m (900..=43200) [default: 1h]'
            cand -n 'RoleSessionName (2-64 of letters, digits, _+=,.@-) [default: awsenv-<user>]'
            cand --session-name 'RoleSessionName (2-64 of letters, digits, _+=,.@-) [default: awsenv-<user>]'
            cand -e 'External id the role''s trust policy asks for'
            cand --external-id 'External id the role''s trust policy asks for'
            cand -r 'Region for STS and exported as AWS_REGION/AWS_DEFAULT_REGION'
            cand --region 'Region for STS and exported as AWS_REGION/AWS_DEFAULT_REGION'
            cand -p 'Take the source credentials from this AWS config profile'
            cand --profile 'Take the source credentials from this AWS config profile'
            cand --mfa-serial 'MFA device serial or ARN the role requires'
            cand --token-code 'MFA code; without it awsenv asks on the terminal'
            cand --min-ttl 'Minimum life a cached session must have left to be reused [default: 5m, AWSENV_MIN_TTL]'
            cand --source-identity 'SourceIdentity to set on the session'
            cand --tag 'Session tag KEY=VALUE (repeatable)'
            cand --policy 'Session policy: a file path or inline JSON'
            cand --policy-arn 'Managed policy ARN to use as a session policy (repeatable, at most 10)'
            cand --sso-session 'Through this IAM Identity Center session (`awsenv login`): ROLE is ACCOUNT_ID:PERMISSION_SET, no profile needed'
            cand --write-profile 'Write the credentials to this profile of the shared credentials file instead'
            cand --refresh-before 'With --ecs-server: renew the session this long before it expires [default: 20m, or half the session]'
            cand -v 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
            cand --verbose 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
            cand --force 'Print even when stdout is a terminal (the output may hold secrets)'
            cand --no-cache 'Ignore the credential cache (also AWSENV_NO_CACHE=1)'
            cand --cache-only 'Answer from the credential cache only, never the network; no cached session: exit 14'
            cand --chain 'Use the active awsenv role as the source (role chaining; sessions of at most 1h)'
            cand --role 'Read ROLE as a role name even when an AWS config profile has that name'
            cand --overwrite-keys 'With --write-profile: replace a section that holds long-term keys'
            cand --ecs-server 'Give CMD a local ECS-style credential endpoint that renews the session, not keys'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'awsenv;serve'= {
            cand -s 'Shell to write code for [default: $AWSENV_SHELL, else the parent shell, else $SHELL]'
            cand --shell 'Shell to write code for [default: $AWSENV_SHELL, else the parent shell, else $SHELL]'
            cand -d 'Session length: seconds or a span such as 1h, 15m (900..=43200) [default: 1h]'
            cand --duration 'Session length: seconds or a span such as 1h, 15m (900..=43200) [default: 1h]'
            cand -n 'RoleSessionName (2-64 of letters, digits, _+=,.@-) [default: awsenv-<user>]'
            cand --session-name 'RoleSessionName (2-64 of letters, digits, _+=,.@-) [default: awsenv-<user>]'
            cand -e 'External id the role''s trust policy asks for'
            cand --external-id 'External id the role''s trust policy asks for'
            cand -r 'Region for STS and exported as AWS_REGION/AWS_DEFAULT_REGION'
            cand --region 'Region for STS and exported as AWS_REGION/AWS_DEFAULT_REGION'
            cand -p 'Take the source credentials from this AWS config profile'
            cand --profile 'Take the source credentials from this AWS config profile'
            cand --mfa-serial 'MFA device serial or ARN the role requires'
            cand --token-code 'MFA code; without it awsenv asks on the terminal'
            cand --min-ttl 'Minimum life a cached session must have left to be reused [default: 5m, AWSENV_MIN_TTL]'
            cand --source-identity 'SourceIdentity to set on the session'
            cand --tag 'Session tag KEY=VALUE (repeatable)'
            cand --policy 'Session policy: a file path or inline JSON'
            cand --policy-arn 'Managed policy ARN to use as a session policy (repeatable, at most 10)'
            cand --sso-session 'Through this IAM Identity Center session (`awsenv login`): ROLE is ACCOUNT_ID:PERMISSION_SET, no profile needed'
            cand --write-profile 'Write the credentials to this profile of the shared credentials file instead'
            cand --refresh-before 'Renew the session this long before it expires [default: 20m, or half the session]'
            cand -v 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
            cand --verbose 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
            cand --force 'Print even when stdout is a terminal (the output may hold secrets)'
            cand --no-cache 'Ignore the credential cache (also AWSENV_NO_CACHE=1)'
            cand --cache-only 'Answer from the credential cache only, never the network; no cached session: exit 14'
            cand --chain 'Use the active awsenv role as the source (role chaining; sessions of at most 1h)'
            cand --role 'Read ROLE as a role name even when an AWS config profile has that name'
            cand --overwrite-keys 'With --write-profile: replace a section that holds long-term keys'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'awsenv;credential-process'= {
            cand -s 'Shell to write code for [default: $AWSENV_SHELL, else the parent shell, else $SHELL]'
            cand --shell 'Shell to write code for [default: $AWSENV_SHELL, else the parent shell, else $SHELL]'
            cand -d 'Session length: seconds or a span such as 1h, 15m (900..=43200) [default: 1h]'
            cand --duration 'Session length: seconds or a span such as 1h, 15m (900..=43200) [default: 1h]'
            cand -n 'RoleSessionName (2-64 of letters, digits, _+=,.@-) [default: awsenv-<user>]'
            cand --session-name 'RoleSessionName (2-64 of letters, digits, _+=,.@-) [default: awsenv-<user>]'
            cand -e 'External id the role''s trust policy asks for'
            cand --external-id 'External id the role''s trust policy asks for'
            cand -r 'Region for STS and exported as AWS_REGION/AWS_DEFAULT_REGION'
            cand --region 'Region for STS and exported as AWS_REGION/AWS_DEFAULT_REGION'
            cand -p 'Take the source credentials from this AWS config profile'
            cand --profile 'Take the source credentials from this AWS config profile'
            cand --mfa-serial 'MFA device serial or ARN the role requires'
            cand --token-code 'MFA code; without it awsenv asks on the terminal'
            cand --min-ttl 'Minimum life a cached session must have left to be reused [default: 5m, AWSENV_MIN_TTL]'
            cand --source-identity 'SourceIdentity to set on the session'
            cand --tag 'Session tag KEY=VALUE (repeatable)'
            cand --policy 'Session policy: a file path or inline JSON'
            cand --policy-arn 'Managed policy ARN to use as a session policy (repeatable, at most 10)'
            cand --sso-session 'Through this IAM Identity Center session (`awsenv login`): ROLE is ACCOUNT_ID:PERMISSION_SET, no profile needed'
            cand --write-profile 'Write the credentials to this profile of the shared credentials file instead'
            cand -v 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
            cand --verbose 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
            cand --force 'Print even when stdout is a terminal (the output may hold secrets)'
            cand --no-cache 'Ignore the credential cache (also AWSENV_NO_CACHE=1)'
            cand --cache-only 'Answer from the credential cache only, never the network; no cached session: exit 14'
            cand --chain 'Use the active awsenv role as the source (role chaining; sessions of at most 1h)'
            cand --role 'Read ROLE as a role name even when an AWS config profile has that name'
            cand --overwrite-keys 'With --write-profile: replace a section that holds long-term keys'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'awsenv;unset'= {
            cand -s 'Shell to write code for [default: $AWSENV_SHELL, else the parent shell, else $SHELL]'
            cand --shell 'Shell to write code for [default: $AWSENV_SHELL, else the parent shell, else $SHELL]'
            cand -v 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
            cand --verbose 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
            cand --force 'Print even when stdout is a terminal (the output may hold secrets)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'awsenv;status'= {
            cand -v 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
            cand --verbose 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
            cand --json 'Print JSON'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'awsenv;init'= {
            cand -v 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
            cand --verbose 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'awsenv;console'= {
            cand -d 'Session length: seconds or a span such as 1h, 15m (900..=43200) [default: 1h]'
            cand --duration 'Session length: seconds or a span such as 1h, 15m (900..=43200) [default: 1h]'
            cand -n 'RoleSessionName (2-64 of letters, digits, _+=,.@-) [default: awsenv-<user>]'
            cand --session-name 'RoleSessionName (2-64 of letters, digits, _+=,.@-) [default: awsenv-<user>]'
            cand -e 'External id the role''s trust policy asks for'
            cand --external-id 'External id the role''s trust policy asks for'
            cand -r 'Region for STS and exported as AWS_REGION/AWS_DEFAULT_REGION'
            cand --region 'Region for STS and exported as AWS_REGION/AWS_DEFAULT_REGION'
            cand -p 'Take the source credentials from this AWS config profile'
            cand --profile 'Take the source credentials from this AWS config profile'
            cand --mfa-serial 'MFA device serial or ARN the role requires'
            cand --token-code 'MFA code; without it awsenv asks on the terminal'
            cand --min-ttl 'Minimum life a cached session must have left to be reused [default: 5m, AWSENV_MIN_TTL]'
            cand --source-identity 'SourceIdentity to set on the session'
            cand --tag 'Session tag KEY=VALUE (repeatable)'
            cand --policy 'Session policy: a file path or inline JSON'
            cand --policy-arn 'Managed policy ARN to use as a session policy (repeatable, at most 10)'
            cand --sso-session 'Through this IAM Identity Center session (`awsenv login`): ROLE is ACCOUNT_ID:PERMISSION_SET, no profile needed'
            cand --service 'Open this service''s console page (s3, ec2, iam, …) in the session''s region'
            cand --destination 'Open this console URL (https://…) after signing in'
            cand -s 'Shell to write code for [default: $AWSENV_SHELL, else the parent shell, else $SHELL]'
            cand --shell 'Shell to write code for [default: $AWSENV_SHELL, else the parent shell, else $SHELL]'
            cand --write-profile 'Write the credentials to this profile of the shared credentials file instead'
            cand -v 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
            cand --verbose 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
            cand --force 'Print even when stdout is a terminal (the output may hold secrets)'
            cand --no-cache 'Ignore the credential cache (also AWSENV_NO_CACHE=1)'
            cand --cache-only 'Answer from the credential cache only, never the network; no cached session: exit 14'
            cand --chain 'Use the active awsenv role as the source (role chaining; sessions of at most 1h)'
            cand --role 'Read ROLE as a role name even when an AWS config profile has that name'
            cand --print 'Print the sign-in URL instead of opening a browser. It is a credential: anyone who has it is signed in for 15 minutes; refused on a terminal without --force'
            cand --overwrite-keys 'With --write-profile: replace a section that holds long-term keys'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'awsenv;login'= {
            cand --sso-session 'The [sso-session NAME] of the AWS config file to sign in to'
            cand -v 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
            cand --verbose 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
            cand --no-browser 'Do not open a browser; open the printed URL yourself (on any device)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'awsenv;logout'= {
            cand --sso-session 'The [sso-session NAME] to sign out of [default: the only one configured]'
            cand -v 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
            cand --verbose 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'awsenv;roles'= {
            cand --format 'Output format [default: table]'
            cand -v 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
            cand --verbose 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
            cand --refresh 'Ask IAM Identity Center again instead of using the hour-long cache'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'awsenv;profiles'= {
            cand -v 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
            cand --verbose 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand sync 'Write one profile per account and role of an SSO session into a block of the AWS config file that awsenv owns and regenerates; the rest of the file stays as it was'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'awsenv;profiles;sync'= {
            cand --sso-session 'The [sso-session NAME] whose accounts and roles to write'
            cand --template 'Profile names: {account_name}, {account_id}, {role_name}, {session}; sanitised to letters, digits and -_. and made unique'
            cand --refresh 'Ask IAM Identity Center again instead of using the hour-long cache'
            cand --dry-run 'Print the change as a unified diff; write nothing'
            cand -v 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
            cand --verbose 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'awsenv;profiles;help'= {
            cand sync 'Write one profile per account and role of an SSO session into a block of the AWS config file that awsenv owns and regenerates; the rest of the file stays as it was'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'awsenv;profiles;help;sync'= {
        }
        &'awsenv;profiles;help;help'= {
        }
        &'awsenv;doctor'= {
            cand -s 'Check for this shell instead of the one doctor runs in'
            cand --shell 'Check for this shell instead of the one doctor runs in'
            cand -v 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
            cand --verbose 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'awsenv;completions'= {
            cand -v 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
            cand --verbose 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'awsenv;cache'= {
            cand -v 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
            cand --verbose 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List cached sessions (role, expiry, size; never secrets)'
            cand clear 'Remove cached sessions, all or those of one role'
            cand dir 'Print the cache directory'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'awsenv;cache;list'= {
            cand -v 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
            cand --verbose 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'awsenv;cache;clear'= {
            cand -v 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
            cand --verbose 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'awsenv;cache;dir'= {
            cand -v 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
            cand --verbose 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'awsenv;cache;help'= {
            cand list 'List cached sessions (role, expiry, size; never secrets)'
            cand clear 'Remove cached sessions, all or those of one role'
            cand dir 'Print the cache directory'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'awsenv;cache;help;list'= {
        }
        &'awsenv;cache;help;clear'= {
        }
        &'awsenv;cache;help;dir'= {
        }
        &'awsenv;cache;help;help'= {
        }
        &'awsenv;broker'= {
            cand -v 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
            cand --verbose 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand template 'Print the CloudFormation template (JSON) that deploys the broker'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'awsenv;broker;template'= {
            cand -v 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
            cand --verbose 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'awsenv;broker;help'= {
            cand template 'Print the CloudFormation template (JSON) that deploys the broker'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'awsenv;broker;help;template'= {
        }
        &'awsenv;broker;help;help'= {
        }
        &'awsenv;help'= {
            cand assume 'Assume a role and print the exports for your shell'
            cand simulate 'Act as a role you may not assume: a base role limited by the target role''s policies'
            cand exec 'Run a command (default: your shell) with a role''s credentials in its environment only'
            cand serve 'Serve a role''s credentials to this shell from a local endpoint that renews them'
            cand credential-process 'Print a role''s credentials as the JSON that `credential_process` in ~/.aws/config expects'
            cand unset 'Restore the environment saved before the first assume'
            cand status 'Show the active role, its session and the time left (from the environment alone)'
            cand init 'Print the shell integration (sudo-on, sudo-off, awsenv_prompt) for your rc file'
            cand console 'Open the AWS console signed in as the active role, or as ROLE (got as `assume` would)'
            cand login 'Sign in to IAM Identity Center (device code flow); the token serves awsenv, the AWS CLI and the SDKs'
            cand logout 'Sign out of IAM Identity Center and remove the cached token'
            cand roles 'List every role you can reach: IAM Identity Center accounts and roles of each signed-in session, and the profiles that name a role'
            cand profiles 'Manage AWS config profiles generated from IAM Identity Center'
            cand doctor 'Check the setup (shell, integration, directories, credentials, clock) and say how to fix what is wrong; exit 15 when something is'
            cand completions 'Print a completion script'
            cand cache 'Inspect or clear the credential cache'
            cand broker 'Deploy the broker that `simulate --remote` asks'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'awsenv;help;assume'= {
        }
        &'awsenv;help;simulate'= {
        }
        &'awsenv;help;exec'= {
        }
        &'awsenv;help;serve'= {
        }
        &'awsenv;help;credential-process'= {
        }
        &'awsenv;help;unset'= {
        }
        &'awsenv;help;status'= {
        }
        &'awsenv;help;init'= {
        }
        &'awsenv;help;console'= {
        }
        &'awsenv;help;login'= {
        }
        &'awsenv;help;logout'= {
        }
        &'awsenv;help;roles'= {
        }
        &'awsenv;help;profiles'= {
        }
        &'awsenv;help;doctor'= {
        }
        &'awsenv;help;completions'= {
        }
        &'awsenv;help;cache'= {
        }
        &'awsenv;help;broker'= {
        }
        &'awsenv;help;help'= {
        }
    ]
    $completions[$command]
}
