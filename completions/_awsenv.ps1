
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'awsenv' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'awsenv'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'awsenv' {
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('assume', 'assume', [CompletionResultType]::ParameterValue, 'Where and how `assume` and `simulate` write the session (the output holds secrets)')
            [CompletionResult]::new('simulate', 'simulate', [CompletionResultType]::ParameterValue, 'Where and how `assume` and `simulate` write the session (the output holds secrets)')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run a command (default: your shell) with a role''s credentials in its environment only')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve a role''s credentials to this shell from a local endpoint that renews them')
            [CompletionResult]::new('credential-process', 'credential-process', [CompletionResultType]::ParameterValue, 'Print a role''s credentials as the JSON that `credential_process` in ~/.aws/config expects')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Restore the environment saved before the first assume')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show the active role, its session and the time left (from the environment alone)')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Print the shell integration (sudo-on, sudo-off, awsenv_prompt) for your rc file')
            [CompletionResult]::new('console', 'console', [CompletionResultType]::ParameterValue, 'Open the AWS console signed in as the active role, or as ROLE (got as `assume` would)')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Sign in to IAM Identity Center (device code flow); the token serves awsenv, the AWS CLI and the SDKs')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Sign out of IAM Identity Center and remove the cached token')
            [CompletionResult]::new('roles', 'roles', [CompletionResultType]::ParameterValue, 'List every role you can reach: IAM Identity Center accounts and roles of each signed-in session, and the profiles that name a role')
            [CompletionResult]::new('profiles', 'profiles', [CompletionResultType]::ParameterValue, 'Manage AWS config profiles generated from IAM Identity Center')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check the setup (shell, integration, directories, credentials, clock) and say how to fix what is wrong; exit 15 when something is')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a completion script')
            [CompletionResult]::new('cache', 'cache', [CompletionResultType]::ParameterValue, 'Inspect or clear the credential cache')
            [CompletionResult]::new('broker', 'broker', [CompletionResultType]::ParameterValue, 'Deploy the broker that `simulate --remote` asks')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'awsenv;assume' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Shell to write code for [default: $AWSENV_SHELL, else the parent shell, else $SHELL]')
            [CompletionResult]::new('--shell', '--shell', [CompletionResultType]::ParameterName, 'Shell to write code for [default: $AWSENV_SHELL, else the parent shell, else $SHELL]')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Session length: seconds or a span such as 1h, 15m (900..=43200) [default: 1h]')
            [CompletionResult]::new('--duration', '--duration', [CompletionResultType]::ParameterName, 'Session length: seconds or a span such as 1h, 15m (900..=43200) [default: 1h]')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'RoleSessionName (2-64 of letters, digits, _+=,.@-) [default: awsenv-<user>]')
            [CompletionResult]::new('--session-name', '--session-name', [CompletionResultType]::ParameterName, 'RoleSessionName (2-64 of letters, digits, _+=,.@-) [default: awsenv-<user>]')
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'External id the role''s trust policy asks for')
            [CompletionResult]::new('--external-id', '--external-id', [CompletionResultType]::ParameterName, 'External id the role''s trust policy asks for')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Region for STS and exported as AWS_REGION/AWS_DEFAULT_REGION')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'Region for STS and exported as AWS_REGION/AWS_DEFAULT_REGION')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Take the source credentials from this AWS config profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Take the source credentials from this AWS config profile')
            [CompletionResult]::new('--mfa-serial', '--mfa-serial', [CompletionResultType]::ParameterName, 'MFA device serial or ARN the role requires')
            [CompletionResult]::new('--token-code', '--token-code', [CompletionResultType]::ParameterName, 'MFA code; without it awsenv asks on the terminal')
            [CompletionResult]::new('--min-ttl', '--min-ttl', [CompletionResultType]::ParameterName, 'Minimum life a cached session must have left to be reused [default: 5m, AWSENV_MIN_TTL]')
            [CompletionResult]::new('--source-identity', '--source-identity', [CompletionResultType]::ParameterName, 'SourceIdentity to set on the session')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'Session tag KEY=VALUE (repeatable)')
            [CompletionResult]::new('--policy', '--policy', [CompletionResultType]::ParameterName, 'Session policy: a file path or inline JSON')
            [CompletionResult]::new('--policy-arn', '--policy-arn', [CompletionResultType]::ParameterName, 'Managed policy ARN to use as a session policy (repeatable, at most 10)')
            [CompletionResult]::new('--sso-session', '--sso-session', [CompletionResultType]::ParameterName, 'Through this IAM Identity Center session (`awsenv login`): ROLE is ACCOUNT_ID:PERMISSION_SET, no profile needed')
            [CompletionResult]::new('--write-profile', '--write-profile', [CompletionResultType]::ParameterName, 'Write the credentials to this profile of the shared credentials file instead')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'shell: code for eval; dotenv, docker (for `docker run --env-file`), json: the role''s variables as data')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write to FILE (mode 0600, atomically) instead of stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write to FILE (mode 0600, atomically) instead of stdout')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Print even when stdout is a terminal (the output may hold secrets)')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Ignore the credential cache (also AWSENV_NO_CACHE=1)')
            [CompletionResult]::new('--cache-only', '--cache-only', [CompletionResultType]::ParameterName, 'Answer from the credential cache only, never the network; no cached session: exit 14')
            [CompletionResult]::new('--chain', '--chain', [CompletionResultType]::ParameterName, 'Use the active awsenv role as the source (role chaining; sessions of at most 1h)')
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'Read ROLE as a role name even when an AWS config profile has that name')
            [CompletionResult]::new('--overwrite-keys', '--overwrite-keys', [CompletionResultType]::ParameterName, 'With --write-profile: replace a section that holds long-term keys')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'awsenv;simulate' {
            [CompletionResult]::new('--role-name', '--role-name', [CompletionResultType]::ParameterName, 'The role to act as: a name or ARN')
            [CompletionResult]::new('--base-role', '--base-role', [CompletionResultType]::ParameterName, 'A role you may assume, in any form `assume` accepts (not with --remote: the broker has its own)')
            [CompletionResult]::new('--broker', '--broker', [CompletionResultType]::ParameterName, 'The broker''s function name or ARN (with --remote)')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Shell to write code for [default: $AWSENV_SHELL, else the parent shell, else $SHELL]')
            [CompletionResult]::new('--shell', '--shell', [CompletionResultType]::ParameterName, 'Shell to write code for [default: $AWSENV_SHELL, else the parent shell, else $SHELL]')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Session length: seconds or a span such as 1h, 15m (900..=43200) [default: 1h]')
            [CompletionResult]::new('--duration', '--duration', [CompletionResultType]::ParameterName, 'Session length: seconds or a span such as 1h, 15m (900..=43200) [default: 1h]')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'RoleSessionName (2-64 of letters, digits, _+=,.@-) [default: awsenv-<user>]')
            [CompletionResult]::new('--session-name', '--session-name', [CompletionResultType]::ParameterName, 'RoleSessionName (2-64 of letters, digits, _+=,.@-) [default: awsenv-<user>]')
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'External id the role''s trust policy asks for')
            [CompletionResult]::new('--external-id', '--external-id', [CompletionResultType]::ParameterName, 'External id the role''s trust policy asks for')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Region for STS and exported as AWS_REGION/AWS_DEFAULT_REGION')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'Region for STS and exported as AWS_REGION/AWS_DEFAULT_REGION')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Take the source credentials from this AWS config profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Take the source credentials from this AWS config profile')
            [CompletionResult]::new('--mfa-serial', '--mfa-serial', [CompletionResultType]::ParameterName, 'MFA device serial or ARN the role requires')
            [CompletionResult]::new('--token-code', '--token-code', [CompletionResultType]::ParameterName, 'MFA code; without it awsenv asks on the terminal')
            [CompletionResult]::new('--min-ttl', '--min-ttl', [CompletionResultType]::ParameterName, 'Minimum life a cached session must have left to be reused [default: 5m, AWSENV_MIN_TTL]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'shell: code for eval; dotenv, docker (for `docker run --env-file`), json: the role''s variables as data')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write to FILE (mode 0600, atomically) instead of stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write to FILE (mode 0600, atomically) instead of stdout')
            [CompletionResult]::new('--write-profile', '--write-profile', [CompletionResultType]::ParameterName, 'Write the credentials to this profile of the shared credentials file instead')
            [CompletionResult]::new('--refresh-before', '--refresh-before', [CompletionResultType]::ParameterName, 'With --ecs-server: renew the session this long before it expires [default: 20m, or half the session]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Ask the broker Lambda for the session instead of assuming a base role yourself')
            [CompletionResult]::new('--ignore-boundary', '--ignore-boundary', [CompletionResultType]::ParameterName, 'Simulate a target that has a permissions boundary without applying it (refused otherwise: no session policy can apply a boundary); says on stderr what it gives up')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Print even when stdout is a terminal (the output may hold secrets)')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Ignore the credential cache (also AWSENV_NO_CACHE=1)')
            [CompletionResult]::new('--cache-only', '--cache-only', [CompletionResultType]::ParameterName, 'Answer from the credential cache only, never the network; no cached session: exit 14')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the AssumeRole request that would be sent, as JSON, instead of exports')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Do not report the simulation''s fidelity on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Do not report the simulation''s fidelity on stderr')
            [CompletionResult]::new('--overwrite-keys', '--overwrite-keys', [CompletionResultType]::ParameterName, 'With --write-profile: replace a section that holds long-term keys')
            [CompletionResult]::new('--ecs-server', '--ecs-server', [CompletionResultType]::ParameterName, 'Give CMD a local ECS-style credential endpoint that renews the session, not keys')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'awsenv;exec' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Shell to write code for [default: $AWSENV_SHELL, else the parent shell, else $SHELL]')
            [CompletionResult]::new('--shell', '--shell', [CompletionResultType]::ParameterName, 'Shell to write code for [default: $AWSENV_SHELL, else the parent shell, else $SHELL]')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Session length: seconds or a span such as 1h, 15m (900..=43200) [default: 1h]')
            [CompletionResult]::new('--duration', '--duration', [CompletionResultType]::ParameterName, 'Session length: seconds or a span such as 1h, 15m (900..=43200) [default: 1h]')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'RoleSessionName (2-64 of letters, digits, _+=,.@-) [default: awsenv-<user>]')
            [CompletionResult]::new('--session-name', '--session-name', [CompletionResultType]::ParameterName, 'RoleSessionName (2-64 of letters, digits, _+=,.@-) [default: awsenv-<user>]')
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'External id the role''s trust policy asks for')
            [CompletionResult]::new('--external-id', '--external-id', [CompletionResultType]::ParameterName, 'External id the role''s trust policy asks for')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Region for STS and exported as AWS_REGION/AWS_DEFAULT_REGION')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'Region for STS and exported as AWS_REGION/AWS_DEFAULT_REGION')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Take the source credentials from this AWS config profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Take the source credentials from this AWS config profile')
            [CompletionResult]::new('--mfa-serial', '--mfa-serial', [CompletionResultType]::ParameterName, 'MFA device serial or ARN the role requires')
            [CompletionResult]::new('--token-code', '--token-code', [CompletionResultType]::ParameterName, 'MFA code; without it awsenv asks on the terminal')
            [CompletionResult]::new('--min-ttl', '--min-ttl', [CompletionResultType]::ParameterName, 'Minimum life a cached session must have left to be reused [default: 5m, AWSENV_MIN_TTL]')
            [CompletionResult]::new('--source-identity', '--source-identity', [CompletionResultType]::ParameterName, 'SourceIdentity to set on the session')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'Session tag KEY=VALUE (repeatable)')
            [CompletionResult]::new('--policy', '--policy', [CompletionResultType]::ParameterName, 'Session policy: a file path or inline JSON')
            [CompletionResult]::new('--policy-arn', '--policy-arn', [CompletionResultType]::ParameterName, 'Managed policy ARN to use as a session policy (repeatable, at most 10)')
            [CompletionResult]::new('--sso-session', '--sso-session', [CompletionResultType]::ParameterName, 'Through this IAM Identity Center session (`awsenv login`): ROLE is ACCOUNT_ID:PERMISSION_SET, no profile needed')
            [CompletionResult]::new('--write-profile', '--write-profile', [CompletionResultType]::ParameterName, 'Write the credentials to this profile of the shared credentials file instead')
            [CompletionResult]::new('--refresh-before', '--refresh-before', [CompletionResultType]::ParameterName, 'With --ecs-server: renew the session this long before it expires [default: 20m, or half the session]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Print even when stdout is a terminal (the output may hold secrets)')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Ignore the credential cache (also AWSENV_NO_CACHE=1)')
            [CompletionResult]::new('--cache-only', '--cache-only', [CompletionResultType]::ParameterName, 'Answer from the credential cache only, never the network; no cached session: exit 14')
            [CompletionResult]::new('--chain', '--chain', [CompletionResultType]::ParameterName, 'Use the active awsenv role as the source (role chaining; sessions of at most 1h)')
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'Read ROLE as a role name even when an AWS config profile has that name')
            [CompletionResult]::new('--overwrite-keys', '--overwrite-keys', [CompletionResultType]::ParameterName, 'With --write-profile: replace a section that holds long-term keys')
            [CompletionResult]::new('--ecs-server', '--ecs-server', [CompletionResultType]::ParameterName, 'Give CMD a local ECS-style credential endpoint that renews the session, not keys')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'awsenv;serve' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Shell to write code for [default: $AWSENV_SHELL, else the parent shell, else $SHELL]')
            [CompletionResult]::new('--shell', '--shell', [CompletionResultType]::ParameterName, 'Shell to write code for [default: $AWSENV_SHELL, else the parent shell, else $SHELL]')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Session length: seconds or a span such as 1h, 15m (900..=43200) [default: 1h]')
            [CompletionResult]::new('--duration', '--duration', [CompletionResultType]::ParameterName, 'Session length: seconds or a span such as 1h, 15m (900..=43200) [default: 1h]')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'RoleSessionName (2-64 of letters, digits, _+=,.@-) [default: awsenv-<user>]')
            [CompletionResult]::new('--session-name', '--session-name', [CompletionResultType]::ParameterName, 'RoleSessionName (2-64 of letters, digits, _+=,.@-) [default: awsenv-<user>]')
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'External id the role''s trust policy asks for')
            [CompletionResult]::new('--external-id', '--external-id', [CompletionResultType]::ParameterName, 'External id the role''s trust policy asks for')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Region for STS and exported as AWS_REGION/AWS_DEFAULT_REGION')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'Region for STS and exported as AWS_REGION/AWS_DEFAULT_REGION')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Take the source credentials from this AWS config profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Take the source credentials from this AWS config profile')
            [CompletionResult]::new('--mfa-serial', '--mfa-serial', [CompletionResultType]::ParameterName, 'MFA device serial or ARN the role requires')
            [CompletionResult]::new('--token-code', '--token-code', [CompletionResultType]::ParameterName, 'MFA code; without it awsenv asks on the terminal')
            [CompletionResult]::new('--min-ttl', '--min-ttl', [CompletionResultType]::ParameterName, 'Minimum life a cached session must have left to be reused [default: 5m, AWSENV_MIN_TTL]')
            [CompletionResult]::new('--source-identity', '--source-identity', [CompletionResultType]::ParameterName, 'SourceIdentity to set on the session')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'Session tag KEY=VALUE (repeatable)')
            [CompletionResult]::new('--policy', '--policy', [CompletionResultType]::ParameterName, 'Session policy: a file path or inline JSON')
            [CompletionResult]::new('--policy-arn', '--policy-arn', [CompletionResultType]::ParameterName, 'Managed policy ARN to use as a session policy (repeatable, at most 10)')
            [CompletionResult]::new('--sso-session', '--sso-session', [CompletionResultType]::ParameterName, 'Through this IAM Identity Center session (`awsenv login`): ROLE is ACCOUNT_ID:PERMISSION_SET, no profile needed')
            [CompletionResult]::new('--write-profile', '--write-profile', [CompletionResultType]::ParameterName, 'Write the credentials to this profile of the shared credentials file instead')
            [CompletionResult]::new('--refresh-before', '--refresh-before', [CompletionResultType]::ParameterName, 'Renew the session this long before it expires [default: 20m, or half the session]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Print even when stdout is a terminal (the output may hold secrets)')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Ignore the credential cache (also AWSENV_NO_CACHE=1)')
            [CompletionResult]::new('--cache-only', '--cache-only', [CompletionResultType]::ParameterName, 'Answer from the credential cache only, never the network; no cached session: exit 14')
            [CompletionResult]::new('--chain', '--chain', [CompletionResultType]::ParameterName, 'Use the active awsenv role as the source (role chaining; sessions of at most 1h)')
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'Read ROLE as a role name even when an AWS config profile has that name')
            [CompletionResult]::new('--overwrite-keys', '--overwrite-keys', [CompletionResultType]::ParameterName, 'With --write-profile: replace a section that holds long-term keys')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'awsenv;credential-process' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Shell to write code for [default: $AWSENV_SHELL, else the parent shell, else $SHELL]')
            [CompletionResult]::new('--shell', '--shell', [CompletionResultType]::ParameterName, 'Shell to write code for [default: $AWSENV_SHELL, else the parent shell, else $SHELL]')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Session length: seconds or a span such as 1h, 15m (900..=43200) [default: 1h]')
            [CompletionResult]::new('--duration', '--duration', [CompletionResultType]::ParameterName, 'Session length: seconds or a span such as 1h, 15m (900..=43200) [default: 1h]')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'RoleSessionName (2-64 of letters, digits, _+=,.@-) [default: awsenv-<user>]')
            [CompletionResult]::new('--session-name', '--session-name', [CompletionResultType]::ParameterName, 'RoleSessionName (2-64 of letters, digits, _+=,.@-) [default: awsenv-<user>]')
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'External id the role''s trust policy asks for')
            [CompletionResult]::new('--external-id', '--external-id', [CompletionResultType]::ParameterName, 'External id the role''s trust policy asks for')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Region for STS and exported as AWS_REGION/AWS_DEFAULT_REGION')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'Region for STS and exported as AWS_REGION/AWS_DEFAULT_REGION')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Take the source credentials from this AWS config profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Take the source credentials from this AWS config profile')
            [CompletionResult]::new('--mfa-serial', '--mfa-serial', [CompletionResultType]::ParameterName, 'MFA device serial or ARN the role requires')
            [CompletionResult]::new('--token-code', '--token-code', [CompletionResultType]::ParameterName, 'MFA code; without it awsenv asks on the terminal')
            [CompletionResult]::new('--min-ttl', '--min-ttl', [CompletionResultType]::ParameterName, 'Minimum life a cached session must have left to be reused [default: 5m, AWSENV_MIN_TTL]')
            [CompletionResult]::new('--source-identity', '--source-identity', [CompletionResultType]::ParameterName, 'SourceIdentity to set on the session')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'Session tag KEY=VALUE (repeatable)')
            [CompletionResult]::new('--policy', '--policy', [CompletionResultType]::ParameterName, 'Session policy: a file path or inline JSON')
            [CompletionResult]::new('--policy-arn', '--policy-arn', [CompletionResultType]::ParameterName, 'Managed policy ARN to use as a session policy (repeatable, at most 10)')
            [CompletionResult]::new('--sso-session', '--sso-session', [CompletionResultType]::ParameterName, 'Through this IAM Identity Center session (`awsenv login`): ROLE is ACCOUNT_ID:PERMISSION_SET, no profile needed')
            [CompletionResult]::new('--write-profile', '--write-profile', [CompletionResultType]::ParameterName, 'Write the credentials to this profile of the shared credentials file instead')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Print even when stdout is a terminal (the output may hold secrets)')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Ignore the credential cache (also AWSENV_NO_CACHE=1)')
            [CompletionResult]::new('--cache-only', '--cache-only', [CompletionResultType]::ParameterName, 'Answer from the credential cache only, never the network; no cached session: exit 14')
            [CompletionResult]::new('--chain', '--chain', [CompletionResultType]::ParameterName, 'Use the active awsenv role as the source (role chaining; sessions of at most 1h)')
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'Read ROLE as a role name even when an AWS config profile has that name')
            [CompletionResult]::new('--overwrite-keys', '--overwrite-keys', [CompletionResultType]::ParameterName, 'With --write-profile: replace a section that holds long-term keys')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'awsenv;unset' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Shell to write code for [default: $AWSENV_SHELL, else the parent shell, else $SHELL]')
            [CompletionResult]::new('--shell', '--shell', [CompletionResultType]::ParameterName, 'Shell to write code for [default: $AWSENV_SHELL, else the parent shell, else $SHELL]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Print even when stdout is a terminal (the output may hold secrets)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'awsenv;status' {
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'awsenv;init' {
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'awsenv;console' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Session length: seconds or a span such as 1h, 15m (900..=43200) [default: 1h]')
            [CompletionResult]::new('--duration', '--duration', [CompletionResultType]::ParameterName, 'Session length: seconds or a span such as 1h, 15m (900..=43200) [default: 1h]')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'RoleSessionName (2-64 of letters, digits, _+=,.@-) [default: awsenv-<user>]')
            [CompletionResult]::new('--session-name', '--session-name', [CompletionResultType]::ParameterName, 'RoleSessionName (2-64 of letters, digits, _+=,.@-) [default: awsenv-<user>]')
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'External id the role''s trust policy asks for')
            [CompletionResult]::new('--external-id', '--external-id', [CompletionResultType]::ParameterName, 'External id the role''s trust policy asks for')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Region for STS and exported as AWS_REGION/AWS_DEFAULT_REGION')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'Region for STS and exported as AWS_REGION/AWS_DEFAULT_REGION')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Take the source credentials from this AWS config profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Take the source credentials from this AWS config profile')
            [CompletionResult]::new('--mfa-serial', '--mfa-serial', [CompletionResultType]::ParameterName, 'MFA device serial or ARN the role requires')
            [CompletionResult]::new('--token-code', '--token-code', [CompletionResultType]::ParameterName, 'MFA code; without it awsenv asks on the terminal')
            [CompletionResult]::new('--min-ttl', '--min-ttl', [CompletionResultType]::ParameterName, 'Minimum life a cached session must have left to be reused [default: 5m, AWSENV_MIN_TTL]')
            [CompletionResult]::new('--source-identity', '--source-identity', [CompletionResultType]::ParameterName, 'SourceIdentity to set on the session')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'Session tag KEY=VALUE (repeatable)')
            [CompletionResult]::new('--policy', '--policy', [CompletionResultType]::ParameterName, 'Session policy: a file path or inline JSON')
            [CompletionResult]::new('--policy-arn', '--policy-arn', [CompletionResultType]::ParameterName, 'Managed policy ARN to use as a session policy (repeatable, at most 10)')
            [CompletionResult]::new('--sso-session', '--sso-session', [CompletionResultType]::ParameterName, 'Through this IAM Identity Center session (`awsenv login`): ROLE is ACCOUNT_ID:PERMISSION_SET, no profile needed')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Open this service''s console page (s3, ec2, iam, …) in the session''s region')
            [CompletionResult]::new('--destination', '--destination', [CompletionResultType]::ParameterName, 'Open this console URL (https://…) after signing in')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Shell to write code for [default: $AWSENV_SHELL, else the parent shell, else $SHELL]')
            [CompletionResult]::new('--shell', '--shell', [CompletionResultType]::ParameterName, 'Shell to write code for [default: $AWSENV_SHELL, else the parent shell, else $SHELL]')
            [CompletionResult]::new('--write-profile', '--write-profile', [CompletionResultType]::ParameterName, 'Write the credentials to this profile of the shared credentials file instead')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Print even when stdout is a terminal (the output may hold secrets)')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Ignore the credential cache (also AWSENV_NO_CACHE=1)')
            [CompletionResult]::new('--cache-only', '--cache-only', [CompletionResultType]::ParameterName, 'Answer from the credential cache only, never the network; no cached session: exit 14')
            [CompletionResult]::new('--chain', '--chain', [CompletionResultType]::ParameterName, 'Use the active awsenv role as the source (role chaining; sessions of at most 1h)')
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'Read ROLE as a role name even when an AWS config profile has that name')
            [CompletionResult]::new('--print', '--print', [CompletionResultType]::ParameterName, 'Print the sign-in URL instead of opening a browser. It is a credential: anyone who has it is signed in for 15 minutes; refused on a terminal without --force')
            [CompletionResult]::new('--overwrite-keys', '--overwrite-keys', [CompletionResultType]::ParameterName, 'With --write-profile: replace a section that holds long-term keys')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'awsenv;login' {
            [CompletionResult]::new('--sso-session', '--sso-session', [CompletionResultType]::ParameterName, 'The [sso-session NAME] of the AWS config file to sign in to')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug')
            [CompletionResult]::new('--no-browser', '--no-browser', [CompletionResultType]::ParameterName, 'Do not open a browser; open the printed URL yourself (on any device)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'awsenv;logout' {
            [CompletionResult]::new('--sso-session', '--sso-session', [CompletionResultType]::ParameterName, 'The [sso-session NAME] to sign out of [default: the only one configured]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'awsenv;roles' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug')
            [CompletionResult]::new('--refresh', '--refresh', [CompletionResultType]::ParameterName, 'Ask IAM Identity Center again instead of using the hour-long cache')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'awsenv;profiles' {
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Write one profile per account and role of an SSO session into a block of the AWS config file that awsenv owns and regenerates; the rest of the file stays as it was')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'awsenv;profiles;sync' {
            [CompletionResult]::new('--sso-session', '--sso-session', [CompletionResultType]::ParameterName, 'The [sso-session NAME] whose accounts and roles to write')
            [CompletionResult]::new('--template', '--template', [CompletionResultType]::ParameterName, 'Profile names: {account_name}, {account_id}, {role_name}, {session}; sanitised to letters, digits and -_. and made unique')
            [CompletionResult]::new('--refresh', '--refresh', [CompletionResultType]::ParameterName, 'Ask IAM Identity Center again instead of using the hour-long cache')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the change as a unified diff; write nothing')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'awsenv;profiles;help' {
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Write one profile per account and role of an SSO session into a block of the AWS config file that awsenv owns and regenerates; the rest of the file stays as it was')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'awsenv;profiles;help;sync' {
            break
        }
        'awsenv;profiles;help;help' {
            break
        }
        'awsenv;doctor' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Check for this shell instead of the one doctor runs in')
            [CompletionResult]::new('--shell', '--shell', [CompletionResultType]::ParameterName, 'Check for this shell instead of the one doctor runs in')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'awsenv;completions' {
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'awsenv;cache' {
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List cached sessions (role, expiry, size; never secrets)')
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'Remove cached sessions, all or those of one role')
            [CompletionResult]::new('dir', 'dir', [CompletionResultType]::ParameterValue, 'Print the cache directory')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'awsenv;cache;list' {
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'awsenv;cache;clear' {
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'awsenv;cache;dir' {
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'awsenv;cache;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List cached sessions (role, expiry, size; never secrets)')
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'Remove cached sessions, all or those of one role')
            [CompletionResult]::new('dir', 'dir', [CompletionResultType]::ParameterValue, 'Print the cache directory')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'awsenv;cache;help;list' {
            break
        }
        'awsenv;cache;help;clear' {
            break
        }
        'awsenv;cache;help;dir' {
            break
        }
        'awsenv;cache;help;help' {
            break
        }
        'awsenv;broker' {
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('template', 'template', [CompletionResultType]::ParameterValue, 'Print the CloudFormation template (JSON) that deploys the broker')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'awsenv;broker;template' {
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'awsenv;broker;help' {
            [CompletionResult]::new('template', 'template', [CompletionResultType]::ParameterValue, 'Print the CloudFormation template (JSON) that deploys the broker')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'awsenv;broker;help;template' {
            break
        }
        'awsenv;broker;help;help' {
            break
        }
        'awsenv;help' {
            [CompletionResult]::new('assume', 'assume', [CompletionResultType]::ParameterValue, 'Assume a role and print the exports for your shell')
            [CompletionResult]::new('simulate', 'simulate', [CompletionResultType]::ParameterValue, 'Act as a role you may not assume: a base role limited by the target role''s policies')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run a command (default: your shell) with a role''s credentials in its environment only')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve a role''s credentials to this shell from a local endpoint that renews them')
            [CompletionResult]::new('credential-process', 'credential-process', [CompletionResultType]::ParameterValue, 'Print a role''s credentials as the JSON that `credential_process` in ~/.aws/config expects')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Restore the environment saved before the first assume')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show the active role, its session and the time left (from the environment alone)')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Print the shell integration (sudo-on, sudo-off, awsenv_prompt) for your rc file')
            [CompletionResult]::new('console', 'console', [CompletionResultType]::ParameterValue, 'Open the AWS console signed in as the active role, or as ROLE (got as `assume` would)')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Sign in to IAM Identity Center (device code flow); the token serves awsenv, the AWS CLI and the SDKs')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Sign out of IAM Identity Center and remove the cached token')
            [CompletionResult]::new('roles', 'roles', [CompletionResultType]::ParameterValue, 'List every role you can reach: IAM Identity Center accounts and roles of each signed-in session, and the profiles that name a role')
            [CompletionResult]::new('profiles', 'profiles', [CompletionResultType]::ParameterValue, 'Manage AWS config profiles generated from IAM Identity Center')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check the setup (shell, integration, directories, credentials, clock) and say how to fix what is wrong; exit 15 when something is')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a completion script')
            [CompletionResult]::new('cache', 'cache', [CompletionResultType]::ParameterValue, 'Inspect or clear the credential cache')
            [CompletionResult]::new('broker', 'broker', [CompletionResultType]::ParameterValue, 'Deploy the broker that `simulate --remote` asks')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'awsenv;help;assume' {
            break
        }
        'awsenv;help;simulate' {
            break
        }
        'awsenv;help;exec' {
            break
        }
        'awsenv;help;serve' {
            break
        }
        'awsenv;help;credential-process' {
            break
        }
        'awsenv;help;unset' {
            break
        }
        'awsenv;help;status' {
            break
        }
        'awsenv;help;init' {
            break
        }
        'awsenv;help;console' {
            break
        }
        'awsenv;help;login' {
            break
        }
        'awsenv;help;logout' {
            break
        }
        'awsenv;help;roles' {
            break
        }
        'awsenv;help;profiles' {
            break
        }
        'awsenv;help;doctor' {
            break
        }
        'awsenv;help;completions' {
            break
        }
        'awsenv;help;cache' {
            break
        }
        'awsenv;help;broker' {
            break
        }
        'awsenv;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
