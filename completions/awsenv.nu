module completions {

  # Put AWS role credentials into the shell you are already in
  export extern awsenv [
    --verbose(-v)             # Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug
    --help(-h)                # Print help (see more with '--help')
    --version(-V)             # Print version
  ]

  def "nu-complete awsenv assume shell" [] {
    [ "bash" "zsh" "fish" "powershell" "nu" ]
  }

  def "nu-complete awsenv assume format" [] {
    [ "shell" "dotenv" "docker" "json" ]
  }

  # Where and how `assume` and `simulate` write the session (the output holds secrets)
  export extern "awsenv assume" [
    --verbose(-v)             # Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug
    --shell(-s): string@"nu-complete awsenv assume shell" # Shell to write code for [default: $AWSENV_SHELL, else the parent shell, else $SHELL]
    --force                   # Print even when stdout is a terminal (the output may hold secrets)
    --duration(-d): string    # Session length: seconds or a span such as 1h, 15m (900..=43200) [default: 1h]
    --session-name(-n): string # RoleSessionName (2-64 of letters, digits, _+=,.@-) [default: awsenv-<user>]
    --external-id(-e): string # External id the role's trust policy asks for
    --region(-r): string      # Region for STS and exported as AWS_REGION/AWS_DEFAULT_REGION
    --profile(-p): string     # Take the source credentials from this AWS config profile
    --mfa-serial: string      # MFA device serial or ARN the role requires
    --token-code: string      # MFA code; without it awsenv asks on the terminal
    --mfa-duration: string    # How long the MFA session a code buys lasts; roles are assumed from it without another code until it ends: seconds or a span (900..=129600, 36h) [default: 12h]
    --no-cache                # Ignore the credential cache (also AWSENV_NO_CACHE=1)
    --min-ttl: string         # Minimum life a cached session must have left to be reused [default: 5m, AWSENV_MIN_TTL]
    --cache-only              # Answer from the credential cache only, never the network; no cached session: exit 14
    --source-identity: string # SourceIdentity to set on the session
    --tag: string             # Session tag KEY=VALUE (repeatable)
    --policy: string          # Session policy: a file path or inline JSON
    --policy-arn: string      # Managed policy ARN to use as a session policy (repeatable, at most 10)
    --chain                   # Use the active awsenv role as the source (role chaining; sessions of at most 1h)
    --role                    # Read ROLE as a role name even when an AWS config profile has that name
    --sso-session: string     # Through this IAM Identity Center session (`awsenv login`): ROLE is ACCOUNT_ID:PERMISSION_SET, no profile needed
    --write-profile: string   # Write the credentials to this profile of the shared credentials file instead
    --overwrite-keys          # With --write-profile: replace a section that holds long-term keys
    --format: string@"nu-complete awsenv assume format" # shell: code for eval; dotenv, docker (for `docker run --env-file`), json: the role's variables as data
    --output(-o): path        # Write to FILE (mode 0600, atomically) instead of stdout
    --help(-h)                # Print help (see more with '--help')
    --version(-V)             # Print version
    role?: string             # Role ARN, "ARN" in quotes, ACCOUNT_ID:NAME, NAME in your own account, or an AWS config profile [default: pick one from a list, on a terminal]
  ]

  def "nu-complete awsenv simulate shell" [] {
    [ "bash" "zsh" "fish" "powershell" "nu" ]
  }

  def "nu-complete awsenv simulate format" [] {
    [ "shell" "dotenv" "docker" "json" ]
  }

  # Where and how `assume` and `simulate` write the session (the output holds secrets)
  export extern "awsenv simulate" [
    --verbose(-v)             # Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug
    --role-name: string       # The role to act as: a name or ARN
    --base-role: string       # A role you may assume, in any form `assume` accepts (not with --remote: the broker has its own)
    --remote                  # Ask the broker Lambda for the session instead of assuming a base role yourself
    --broker: string          # The broker's function name or ARN (with --remote)
    --ignore-boundary         # Simulate a target that has a permissions boundary without applying it (refused otherwise: no session policy can apply a boundary); says on stderr what it gives up
    --shell(-s): string@"nu-complete awsenv simulate shell" # Shell to write code for [default: $AWSENV_SHELL, else the parent shell, else $SHELL]
    --force                   # Print even when stdout is a terminal (the output may hold secrets)
    --duration(-d): string    # Session length: seconds or a span such as 1h, 15m (900..=43200) [default: 1h]
    --session-name(-n): string # RoleSessionName (2-64 of letters, digits, _+=,.@-) [default: awsenv-<user>]
    --external-id(-e): string # External id the role's trust policy asks for
    --region(-r): string      # Region for STS and exported as AWS_REGION/AWS_DEFAULT_REGION
    --profile(-p): string     # Take the source credentials from this AWS config profile
    --mfa-serial: string      # MFA device serial or ARN the role requires
    --token-code: string      # MFA code; without it awsenv asks on the terminal
    --mfa-duration: string    # How long the MFA session a code buys lasts; roles are assumed from it without another code until it ends: seconds or a span (900..=129600, 36h) [default: 12h]
    --no-cache                # Ignore the credential cache (also AWSENV_NO_CACHE=1)
    --min-ttl: string         # Minimum life a cached session must have left to be reused [default: 5m, AWSENV_MIN_TTL]
    --cache-only              # Answer from the credential cache only, never the network; no cached session: exit 14
    --dry-run                 # Print the AssumeRole request that would be sent, as JSON, instead of exports
    --format: string@"nu-complete awsenv simulate format" # shell: code for eval; dotenv, docker (for `docker run --env-file`), json: the role's variables as data
    --output(-o): path        # Write to FILE (mode 0600, atomically) instead of stdout
    --quiet(-q)               # Do not report the simulation's fidelity on stderr
    --write-profile: string   # Write the credentials to this profile of the shared credentials file instead
    --overwrite-keys          # With --write-profile: replace a section that holds long-term keys
    --ecs-server              # Give CMD a local ECS-style credential endpoint that renews the session, not keys
    --refresh-before: string  # With --ecs-server: renew the session this long before it expires [default: 20m, or half the session]
    --help(-h)                # Print help (see more with '--help')
    --version(-V)             # Print version
  ]

  def "nu-complete awsenv exec shell" [] {
    [ "bash" "zsh" "fish" "powershell" "nu" ]
  }

  # Run a command (default: your shell) with a role's credentials in its environment only
  export extern "awsenv exec" [
    --verbose(-v)             # Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug
    --shell(-s): string@"nu-complete awsenv exec shell" # Shell to write code for [default: $AWSENV_SHELL, else the parent shell, else $SHELL]
    --force                   # Print even when stdout is a terminal (the output may hold secrets)
    --duration(-d): string    # Session length: seconds or a span such as 1h, 15m (900..=43200) [default: 1h]
    --session-name(-n): string # RoleSessionName (2-64 of letters, digits, _+=,.@-) [default: awsenv-<user>]
    --external-id(-e): string # External id the role's trust policy asks for
    --region(-r): string      # Region for STS and exported as AWS_REGION/AWS_DEFAULT_REGION
    --profile(-p): string     # Take the source credentials from this AWS config profile
    --mfa-serial: string      # MFA device serial or ARN the role requires
    --token-code: string      # MFA code; without it awsenv asks on the terminal
    --mfa-duration: string    # How long the MFA session a code buys lasts; roles are assumed from it without another code until it ends: seconds or a span (900..=129600, 36h) [default: 12h]
    --no-cache                # Ignore the credential cache (also AWSENV_NO_CACHE=1)
    --min-ttl: string         # Minimum life a cached session must have left to be reused [default: 5m, AWSENV_MIN_TTL]
    --cache-only              # Answer from the credential cache only, never the network; no cached session: exit 14
    --source-identity: string # SourceIdentity to set on the session
    --tag: string             # Session tag KEY=VALUE (repeatable)
    --policy: string          # Session policy: a file path or inline JSON
    --policy-arn: string      # Managed policy ARN to use as a session policy (repeatable, at most 10)
    --chain                   # Use the active awsenv role as the source (role chaining; sessions of at most 1h)
    --role                    # Read ROLE as a role name even when an AWS config profile has that name
    --sso-session: string     # Through this IAM Identity Center session (`awsenv login`): ROLE is ACCOUNT_ID:PERMISSION_SET, no profile needed
    --write-profile: string   # Write the credentials to this profile of the shared credentials file instead
    --overwrite-keys          # With --write-profile: replace a section that holds long-term keys
    --ecs-server              # Give CMD a local ECS-style credential endpoint that renews the session, not keys
    --refresh-before: string  # With --ecs-server: renew the session this long before it expires [default: 20m, or half the session]
    --help(-h)                # Print help (see more with '--help')
    --version(-V)             # Print version
    role?: string             # Role ARN, "ARN" in quotes, ACCOUNT_ID:NAME, NAME in your own account, or an AWS config profile [default: pick one from a list, on a terminal]
  ]

  def "nu-complete awsenv serve shell" [] {
    [ "bash" "zsh" "fish" "powershell" "nu" ]
  }

  # Serve a role's credentials to this shell from a local endpoint that renews them
  export extern "awsenv serve" [
    --verbose(-v)             # Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug
    --shell(-s): string@"nu-complete awsenv serve shell" # Shell to write code for [default: $AWSENV_SHELL, else the parent shell, else $SHELL]
    --force                   # Print even when stdout is a terminal (the output may hold secrets)
    --duration(-d): string    # Session length: seconds or a span such as 1h, 15m (900..=43200) [default: 1h]
    --session-name(-n): string # RoleSessionName (2-64 of letters, digits, _+=,.@-) [default: awsenv-<user>]
    --external-id(-e): string # External id the role's trust policy asks for
    --region(-r): string      # Region for STS and exported as AWS_REGION/AWS_DEFAULT_REGION
    --profile(-p): string     # Take the source credentials from this AWS config profile
    --mfa-serial: string      # MFA device serial or ARN the role requires
    --token-code: string      # MFA code; without it awsenv asks on the terminal
    --mfa-duration: string    # How long the MFA session a code buys lasts; roles are assumed from it without another code until it ends: seconds or a span (900..=129600, 36h) [default: 12h]
    --no-cache                # Ignore the credential cache (also AWSENV_NO_CACHE=1)
    --min-ttl: string         # Minimum life a cached session must have left to be reused [default: 5m, AWSENV_MIN_TTL]
    --cache-only              # Answer from the credential cache only, never the network; no cached session: exit 14
    --source-identity: string # SourceIdentity to set on the session
    --tag: string             # Session tag KEY=VALUE (repeatable)
    --policy: string          # Session policy: a file path or inline JSON
    --policy-arn: string      # Managed policy ARN to use as a session policy (repeatable, at most 10)
    --chain                   # Use the active awsenv role as the source (role chaining; sessions of at most 1h)
    --role                    # Read ROLE as a role name even when an AWS config profile has that name
    --sso-session: string     # Through this IAM Identity Center session (`awsenv login`): ROLE is ACCOUNT_ID:PERMISSION_SET, no profile needed
    --write-profile: string   # Write the credentials to this profile of the shared credentials file instead
    --overwrite-keys          # With --write-profile: replace a section that holds long-term keys
    --refresh-before: string  # Renew the session this long before it expires [default: 20m, or half the session]
    --help(-h)                # Print help (see more with '--help')
    --version(-V)             # Print version
    role: string              # Role ARN, "ARN" in quotes, ACCOUNT_ID:NAME, or NAME in your own account
  ]

  def "nu-complete awsenv credential-process shell" [] {
    [ "bash" "zsh" "fish" "powershell" "nu" ]
  }

  # Print a role's credentials as the JSON that `credential_process` in ~/.aws/config expects
  export extern "awsenv credential-process" [
    --verbose(-v)             # Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug
    --shell(-s): string@"nu-complete awsenv credential-process shell" # Shell to write code for [default: $AWSENV_SHELL, else the parent shell, else $SHELL]
    --force                   # Print even when stdout is a terminal (the output may hold secrets)
    --duration(-d): string    # Session length: seconds or a span such as 1h, 15m (900..=43200) [default: 1h]
    --session-name(-n): string # RoleSessionName (2-64 of letters, digits, _+=,.@-) [default: awsenv-<user>]
    --external-id(-e): string # External id the role's trust policy asks for
    --region(-r): string      # Region for STS and exported as AWS_REGION/AWS_DEFAULT_REGION
    --profile(-p): string     # Take the source credentials from this AWS config profile
    --mfa-serial: string      # MFA device serial or ARN the role requires
    --token-code: string      # MFA code; without it awsenv asks on the terminal
    --mfa-duration: string    # How long the MFA session a code buys lasts; roles are assumed from it without another code until it ends: seconds or a span (900..=129600, 36h) [default: 12h]
    --no-cache                # Ignore the credential cache (also AWSENV_NO_CACHE=1)
    --min-ttl: string         # Minimum life a cached session must have left to be reused [default: 5m, AWSENV_MIN_TTL]
    --cache-only              # Answer from the credential cache only, never the network; no cached session: exit 14
    --source-identity: string # SourceIdentity to set on the session
    --tag: string             # Session tag KEY=VALUE (repeatable)
    --policy: string          # Session policy: a file path or inline JSON
    --policy-arn: string      # Managed policy ARN to use as a session policy (repeatable, at most 10)
    --chain                   # Use the active awsenv role as the source (role chaining; sessions of at most 1h)
    --role                    # Read ROLE as a role name even when an AWS config profile has that name
    --sso-session: string     # Through this IAM Identity Center session (`awsenv login`): ROLE is ACCOUNT_ID:PERMISSION_SET, no profile needed
    --write-profile: string   # Write the credentials to this profile of the shared credentials file instead
    --overwrite-keys          # With --write-profile: replace a section that holds long-term keys
    --help(-h)                # Print help (see more with '--help')
    --version(-V)             # Print version
    role: string              # Role ARN, "ARN" in quotes, ACCOUNT_ID:NAME, or NAME in your own account
  ]

  def "nu-complete awsenv unset shell" [] {
    [ "bash" "zsh" "fish" "powershell" "nu" ]
  }

  # Restore the environment saved before the first assume
  export extern "awsenv unset" [
    --verbose(-v)             # Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug
    --shell(-s): string@"nu-complete awsenv unset shell" # Shell to write code for [default: $AWSENV_SHELL, else the parent shell, else $SHELL]
    --force                   # Print even when stdout is a terminal (the output may hold secrets)
    --help(-h)                # Print help (see more with '--help')
    --version(-V)             # Print version
  ]

  # Show the active role, its session and the time left (from the environment alone)
  export extern "awsenv status" [
    --verbose(-v)             # Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug
    --json                    # Print JSON
    --help(-h)                # Print help
    --version(-V)             # Print version
  ]

  def "nu-complete awsenv init target" [] {
    [ "bash" "zsh" "fish" "powershell" "nu" "direnv" ]
  }

  # Print the shell integration (sudo-on, sudo-off, awsenv_prompt) for your rc file
  export extern "awsenv init" [
    --verbose(-v)             # Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug
    --help(-h)                # Print help (see more with '--help')
    --version(-V)             # Print version
    target: string@"nu-complete awsenv init target"
  ]

  def "nu-complete awsenv console shell" [] {
    [ "bash" "zsh" "fish" "powershell" "nu" ]
  }

  # Open the AWS console signed in as the active role, or as ROLE (got as `assume` would)
  export extern "awsenv console" [
    --verbose(-v)             # Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug
    --force                   # Print even when stdout is a terminal (the output may hold secrets)
    --duration(-d): string    # Session length: seconds or a span such as 1h, 15m (900..=43200) [default: 1h]
    --session-name(-n): string # RoleSessionName (2-64 of letters, digits, _+=,.@-) [default: awsenv-<user>]
    --external-id(-e): string # External id the role's trust policy asks for
    --region(-r): string      # Region for STS and exported as AWS_REGION/AWS_DEFAULT_REGION
    --profile(-p): string     # Take the source credentials from this AWS config profile
    --mfa-serial: string      # MFA device serial or ARN the role requires
    --token-code: string      # MFA code; without it awsenv asks on the terminal
    --mfa-duration: string    # How long the MFA session a code buys lasts; roles are assumed from it without another code until it ends: seconds or a span (900..=129600, 36h) [default: 12h]
    --no-cache                # Ignore the credential cache (also AWSENV_NO_CACHE=1)
    --min-ttl: string         # Minimum life a cached session must have left to be reused [default: 5m, AWSENV_MIN_TTL]
    --cache-only              # Answer from the credential cache only, never the network; no cached session: exit 14
    --source-identity: string # SourceIdentity to set on the session
    --tag: string             # Session tag KEY=VALUE (repeatable)
    --policy: string          # Session policy: a file path or inline JSON
    --policy-arn: string      # Managed policy ARN to use as a session policy (repeatable, at most 10)
    --chain                   # Use the active awsenv role as the source (role chaining; sessions of at most 1h)
    --role                    # Read ROLE as a role name even when an AWS config profile has that name
    --sso-session: string     # Through this IAM Identity Center session (`awsenv login`): ROLE is ACCOUNT_ID:PERMISSION_SET, no profile needed
    --service: string         # Open this service's console page (s3, ec2, iam, …) in the session's region
    --destination: string     # Open this console URL (https://…) after signing in
    --print                   # Print the sign-in URL instead of opening a browser. It is a credential: anyone who has it is signed in for 15 minutes; refused on a terminal without --force
    --shell(-s): string@"nu-complete awsenv console shell" # Shell to write code for [default: $AWSENV_SHELL, else the parent shell, else $SHELL]
    --write-profile: string   # Write the credentials to this profile of the shared credentials file instead
    --overwrite-keys          # With --write-profile: replace a section that holds long-term keys
    --help(-h)                # Print help
    --version(-V)             # Print version
    role?: string             # Role to sign in as, in any form `assume` takes [default: the active session; without one, pick from a list on a terminal]
  ]

  # Sign in to IAM Identity Center (device code flow); the token serves awsenv, the AWS CLI and the SDKs
  export extern "awsenv login" [
    --verbose(-v)             # Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug
    --sso-session: string     # The [sso-session NAME] of the AWS config file to sign in to
    --no-browser              # Do not open a browser; open the printed URL yourself (on any device)
    --help(-h)                # Print help
    --version(-V)             # Print version
    profile?: string          # A profile with sso_session (or the legacy sso_start_url and sso_region)
  ]

  # Sign out of IAM Identity Center and remove the cached token
  export extern "awsenv logout" [
    --verbose(-v)             # Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug
    --sso-session: string     # The [sso-session NAME] to sign out of [default: the only one configured]
    --help(-h)                # Print help
    --version(-V)             # Print version
    profile?: string          # A profile with sso_session (or the legacy sso_start_url)
  ]

  def "nu-complete awsenv roles format" [] {
    [ "table" "json" ]
  }

  # List every role you can reach: IAM Identity Center accounts and roles of each signed-in session, and the profiles that name a role
  export extern "awsenv roles" [
    --verbose(-v)             # Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug
    --refresh                 # Ask IAM Identity Center again instead of using the hour-long cache
    --format: string@"nu-complete awsenv roles format" # Output format [default: table]
    --help(-h)                # Print help
    --version(-V)             # Print version
  ]

  # Manage AWS config profiles generated from IAM Identity Center
  export extern "awsenv profiles" [
    --verbose(-v)             # Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug
    --help(-h)                # Print help
    --version(-V)             # Print version
  ]

  # Write one profile per account and role of an SSO session into a block of the AWS config file that awsenv owns and regenerates; the rest of the file stays as it was
  export extern "awsenv profiles sync" [
    --sso-session: string     # The [sso-session NAME] whose accounts and roles to write
    --template: string        # Profile names: {account_name}, {account_id}, {role_name}, {session}; sanitised to letters, digits and -_. and made unique
    --refresh                 # Ask IAM Identity Center again instead of using the hour-long cache
    --dry-run                 # Print the change as a unified diff; write nothing
    --verbose(-v)             # Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug
    --help(-h)                # Print help
    --version(-V)             # Print version
  ]

  # Print this message or the help of the given subcommand(s)
  export extern "awsenv profiles help" [
  ]

  # Write one profile per account and role of an SSO session into a block of the AWS config file that awsenv owns and regenerates; the rest of the file stays as it was
  export extern "awsenv profiles help sync" [
  ]

  # Print this message or the help of the given subcommand(s)
  export extern "awsenv profiles help help" [
  ]

  def "nu-complete awsenv doctor shell" [] {
    [ "bash" "zsh" "fish" "powershell" "nu" ]
  }

  # Check the setup (shell, integration, directories, credentials, clock) and say how to fix what is wrong; exit 15 when something is
  export extern "awsenv doctor" [
    --verbose(-v)             # Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug
    --shell(-s): string@"nu-complete awsenv doctor shell" # Check for this shell instead of the one doctor runs in
    --help(-h)                # Print help (see more with '--help')
    --version(-V)             # Print version
  ]

  def "nu-complete awsenv completions shell" [] {
    [ "bash" "zsh" "fish" "powershell" "elvish" "nu" ]
  }

  # Print a completion script
  export extern "awsenv completions" [
    --verbose(-v)             # Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug
    --help(-h)                # Print help
    --version(-V)             # Print version
    shell: string@"nu-complete awsenv completions shell"
  ]

  # Inspect or clear the credential cache
  export extern "awsenv cache" [
    --verbose(-v)             # Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug
    --help(-h)                # Print help
    --version(-V)             # Print version
  ]

  # List cached sessions (role, expiry, size; never secrets)
  export extern "awsenv cache list" [
    --verbose(-v)             # Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug
    --help(-h)                # Print help
    --version(-V)             # Print version
  ]

  # Remove cached sessions, all or those of one role
  export extern "awsenv cache clear" [
    --verbose(-v)             # Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug
    --help(-h)                # Print help
    --version(-V)             # Print version
    role?: string             # Role name or ARN
  ]

  # Print the cache directory
  export extern "awsenv cache dir" [
    --verbose(-v)             # Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug
    --help(-h)                # Print help
    --version(-V)             # Print version
  ]

  # Print this message or the help of the given subcommand(s)
  export extern "awsenv cache help" [
  ]

  # List cached sessions (role, expiry, size; never secrets)
  export extern "awsenv cache help list" [
  ]

  # Remove cached sessions, all or those of one role
  export extern "awsenv cache help clear" [
  ]

  # Print the cache directory
  export extern "awsenv cache help dir" [
  ]

  # Print this message or the help of the given subcommand(s)
  export extern "awsenv cache help help" [
  ]

  # Deploy the broker that `simulate --remote` asks
  export extern "awsenv broker" [
    --verbose(-v)             # Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug
    --help(-h)                # Print help
    --version(-V)             # Print version
  ]

  # Print the CloudFormation template (JSON) that deploys the broker
  export extern "awsenv broker template" [
    --verbose(-v)             # Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug
    --help(-h)                # Print help
    --version(-V)             # Print version
  ]

  # Print this message or the help of the given subcommand(s)
  export extern "awsenv broker help" [
  ]

  # Print the CloudFormation template (JSON) that deploys the broker
  export extern "awsenv broker help template" [
  ]

  # Print this message or the help of the given subcommand(s)
  export extern "awsenv broker help help" [
  ]

  # Print this message or the help of the given subcommand(s)
  export extern "awsenv help" [
  ]

  # Assume a role and print the exports for your shell
  export extern "awsenv help assume" [
  ]

  # Act as a role you may not assume: a base role limited by the target role's policies
  export extern "awsenv help simulate" [
  ]

  # Run a command (default: your shell) with a role's credentials in its environment only
  export extern "awsenv help exec" [
  ]

  # Serve a role's credentials to this shell from a local endpoint that renews them
  export extern "awsenv help serve" [
  ]

  # Print a role's credentials as the JSON that `credential_process` in ~/.aws/config expects
  export extern "awsenv help credential-process" [
  ]

  # Restore the environment saved before the first assume
  export extern "awsenv help unset" [
  ]

  # Show the active role, its session and the time left (from the environment alone)
  export extern "awsenv help status" [
  ]

  # Print the shell integration (sudo-on, sudo-off, awsenv_prompt) for your rc file
  export extern "awsenv help init" [
  ]

  # Open the AWS console signed in as the active role, or as ROLE (got as `assume` would)
  export extern "awsenv help console" [
  ]

  # Sign in to IAM Identity Center (device code flow); the token serves awsenv, the AWS CLI and the SDKs
  export extern "awsenv help login" [
  ]

  # Sign out of IAM Identity Center and remove the cached token
  export extern "awsenv help logout" [
  ]

  # List every role you can reach: IAM Identity Center accounts and roles of each signed-in session, and the profiles that name a role
  export extern "awsenv help roles" [
  ]

  # Manage AWS config profiles generated from IAM Identity Center
  export extern "awsenv help profiles" [
  ]

  # Check the setup (shell, integration, directories, credentials, clock) and say how to fix what is wrong; exit 15 when something is
  export extern "awsenv help doctor" [
  ]

  # Print a completion script
  export extern "awsenv help completions" [
  ]

  # Inspect or clear the credential cache
  export extern "awsenv help cache" [
  ]

  # Deploy the broker that `simulate --remote` asks
  export extern "awsenv help broker" [
  ]

  # Print this message or the help of the given subcommand(s)
  export extern "awsenv help help" [
  ]

}

export use completions *
