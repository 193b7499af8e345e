# awsenv shell integration for PowerShell. Load it from $PROFILE with:
#   awsenv init powershell | Out-String | Invoke-Expression
# It defines sudo-on, sudo-off, awsenv_prompt and wraps the prompt function; it edits no file.
# Names shared with awsenv are written __AWSENV_<KEY>__ here; `awsenv init` fills them in.

$global:__awsenv_bin = '@AWSENV_BIN@'
# `awsenv doctor` reads this to tell whether the integration is loaded in the shell it runs in.
$env:__AWSENV_INIT__ = "powershell:$PID"
if ($null -eq $global:__awsenv_last) { $global:__awsenv_last = @() }

# Runs awsenv and evaluates what it prints; $true only when it evaluated something. Only
# awsenv's own shell code may reach Invoke-Expression: under __AWSENV_WRAPPER__=1 awsenv sends
# anything else (help, version, JSON) to stderr.
function global:__awsenv_apply {
    $argv = @($args)
    # --quiet (the prompt hook's cache-only call): awsenv's stderr goes nowhere.
    $quiet = $argv[0] -eq '--quiet'
    if ($quiet) { $argv = @($argv | Select-Object -Skip 1) }
    if ($argv[0] -eq '--simulate') {
        $call = @('simulate', '--shell', 'powershell', '--role-name', $argv[1]) + @($argv | Select-Object -Skip 2)
    } else {
        $call = @('assume', '--shell', 'powershell') + @($argv | Select-Object -Skip 1)
        # No ROLE (the picker): an empty argument would be dropped by older PowerShell anyway.
        if ("$($argv[0])") { $call += @('--', $argv[0]) }
    }
    $env:__AWSENV_WRAPPER__ = '1'
    try {
        if ($quiet) { $out = & $global:__awsenv_bin @call 2>$null }
        else { $out = & $global:__awsenv_bin @call }
    } finally {
        Remove-Item -LiteralPath Env:__AWSENV_WRAPPER__ -ErrorAction SilentlyContinue
    }
    if ($LASTEXITCODE -ne 0) { return $false }
    $text = $out | Out-String
    if (-not $text.Trim()) { return $false }
    Invoke-Expression $text | Out-Null
    return $true
}

# sudo-on [ROLE] [assume options...]
# sudo-on --simulate TARGET --base-role BASE [options...]
function global:sudo-on {
    $argv = @($args)
    if ($argv.Count -gt 0 -and $argv[0] -eq '--simulate') {
        if ($argv.Count -lt 2) {
            [Console]::Error.WriteLine('sudo-on: --simulate needs the role to act as: sudo-on --simulate ROLE --base-role BASE')
            return
        }
        $call = $argv
    } elseif ($argv.Count -gt 0 -and -not "$($argv[0])".StartsWith('-')) {
        $call = $argv
    } elseif ($env:AWSENV_DEFAULT_ROLE) {
        $call = @($env:AWSENV_DEFAULT_ROLE) + $argv
    } elseif ($global:__awsenv_last.Count -gt 0) {
        $call = @($global:__awsenv_last) + $argv
    } else {
        # No role anywhere: awsenv opens its picker on the terminal.
        $call = @('') + $argv
    }
    if ($call -contains '--') {
        [Console]::Error.WriteLine("sudo-on: puts a role into this shell and runs no command; to run one as a role use 'awsenv exec ROLE -- CMD' or 'awsenv simulate --role-name T --base-role B -- CMD'")
        return
    }
    # A picked role is not known here: the next bare sudo-on picks again (that role first).
    if ((__awsenv_apply @call) -and $call[0]) { $global:__awsenv_last = $call }
}

# sudo-off: back to the environment saved before the first sudo-on.
function global:sudo-off {
    $env:__AWSENV_WRAPPER__ = '1'
    try {
        $out = & $global:__awsenv_bin unset --shell powershell
    } finally {
        Remove-Item -LiteralPath Env:__AWSENV_WRAPPER__ -ErrorAction SilentlyContinue
    }
    if ($LASTEXITCODE -ne 0) { return }
    $text = $out | Out-String
    if ($text.Trim()) { Invoke-Expression $text }
}

# True while the credential endpoint that __AWSENV_SERVER__ names runs. A marker left behind
# (its endpoint stopped, or the parent shell that owned it ended) is not a served role: the
# prompt then counts down as for keys, and the hook warns.
function global:__awsenv_served {
    if (-not $env:__AWSENV_SERVER__) { return $false }
    try { $id = [int]($env:__AWSENV_SERVER__ | ConvertFrom-Json).pid } catch { return $false }
    return $null -ne (Get-Process -Id $id -ErrorAction SilentlyContinue)
}

# The segment for the active role, e.g. "aws:my-role 42m", from the environment alone.
# Settings: AWSENV_PROMPT_FORMAT ("%r" role, "%t" time left; default "aws:%r %t"),
# AWSENV_PROMPT_COLOR / AWSENV_PROMPT_EXPIRED_COLOR (ANSI SGR codes such as "33", "1;31").
function global:awsenv_prompt {
    if (-not $env:__AWSENV_ROLE__) { return '' }
    $left = [int64]$env:__AWSENV_EXPIRES_AT__ - [DateTimeOffset]::UtcNow.ToUnixTimeSeconds()
    if (__awsenv_served) {
        # The credential endpoint renews the session: there is no end to count down to.
        $t = 'served'; $color = $env:AWSENV_PROMPT_COLOR
    } elseif ($left -le 0) {
        $t = 'expired'; $color = $env:AWSENV_PROMPT_EXPIRED_COLOR
    } else {
        $color = $env:AWSENV_PROMPT_COLOR
        $mins = [math]::Floor(($left + 59) / 60)
        if ($mins -ge 60) { $t = '{0}h{1}m' -f [math]::Floor($mins / 60), ($mins % 60) }
        else { $t = '{0}m' -f $mins }
    }
    $label = $env:__AWSENV_ROLE__
    if ($env:__AWSENV_SIMULATED_BY__) { $label = "$label(sim)" }
    $fmt = if ($null -ne $env:AWSENV_PROMPT_FORMAT) { $env:AWSENV_PROMPT_FORMAT } else { 'aws:%r %t' }
    $seg = $fmt.Replace('%r', $label).Replace('%t', $t)
    if ($color) { $seg = "$([char]27)[$($color)m$seg$([char]27)[0m" }
    return $seg
}

# Opt-in: AWSENV_WARN_BEFORE=SECONDS warns once per session that it is about to expire;
# AWSENV_AUTO_REFRESH=1 renews the session at that point (default 300 s before). A prompt
# never waits on the network: a job fetches the new session into awsenv's cache, and a later
# prompt applies it with --cache-only, which cannot touch the network.
function global:__awsenv_hook {
    if (-not $env:__AWSENV_ROLE__ -or (__awsenv_served)) { return }
    if (-not $env:AWSENV_WARN_BEFORE -and $env:AWSENV_AUTO_REFRESH -ne '1') { return }
    $before = if ($env:AWSENV_WARN_BEFORE) { [int64]$env:AWSENV_WARN_BEFORE } else { 300 }
    $left = [int64]$env:__AWSENV_EXPIRES_AT__ - [DateTimeOffset]::UtcNow.ToUnixTimeSeconds()
    if ($left -gt $before) { return }
    $key = "$($env:__AWSENV_SESSION_ARN__)@$($env:__AWSENV_EXPIRES_AT__)"
    if ($env:AWSENV_AUTO_REFRESH -eq '1' -and $global:__awsenv_last.Count -gt 0) {
        $ttl = @('--min-ttl', "$($before + 60)")
        $cached = @('--quiet') + @($global:__awsenv_last) + @('--cache-only') + $ttl
        if (__awsenv_apply @cached) { return }
        $now = [DateTimeOffset]::UtcNow.ToUnixTimeSeconds()
        if ($global:__awsenv_refreshing -ne $key) {
            $global:__awsenv_refreshing = $key
            $global:__awsenv_refresh_at = $now
            # The job is another process: it gets the binary, the arguments and this shell's
            # held values (never in an argv), and evaluates awsenv's answer there.
            $held = @{}
            Get-Variable -Scope Global -Name '__AWSENV_HOLDER_PREFIX__*' -ErrorAction SilentlyContinue |
                ForEach-Object { $held[$_.Name] = $_.Value }
            $null = Start-Job -ArgumentList $global:__awsenv_bin, (@($global:__awsenv_last) + $ttl), $held -ScriptBlock {
                param($bin, $call, $held)
                foreach ($k in $held.Keys) { Set-Variable -Scope Global -Name $k -Value $held[$k] }
                $env:__AWSENV_NO_PROMPT__ = '1'
                $env:__AWSENV_WRAPPER__ = '1'
                if ($call[0] -eq '--simulate') {
                    $out = & $bin simulate --shell powershell --role-name $call[1] @($call | Select-Object -Skip 2)
                } else {
                    $out = & $bin assume --shell powershell @($call | Select-Object -Skip 1) -- $call[0]
                }
                Remove-Item -LiteralPath Env:__AWSENV_WRAPPER__
                if ($LASTEXITCODE -eq 0) { $out | Out-String | Invoke-Expression }
            }
            return
        }
        # Quiet while the job may still be running; after a minute it has failed.
        if ($now -lt $global:__awsenv_refresh_at + 60) { return }
    }
    if ($global:__awsenv_warned -eq $key) { return }
    $global:__awsenv_warned = $key
    if ($left -gt 0) {
        [Console]::Error.WriteLine("awsenv: $($env:__AWSENV_ROLE__) expires in $([math]::Floor(($left + 59) / 60))m; run sudo-on to renew")
    } else {
        [Console]::Error.WriteLine("awsenv: $($env:__AWSENV_ROLE__) has expired; run sudo-on to renew or sudo-off")
    }
}

# Wrap the user's prompt once, keeping $LASTEXITCODE for it.
if (-not $global:__awsenv_prompt_wrapped) {
    $global:__awsenv_prompt_wrapped = $true
    $global:__awsenv_user_prompt = $function:prompt
    function global:prompt {
        $code = $global:LASTEXITCODE
        __awsenv_hook
        $global:LASTEXITCODE = $code
        & $global:__awsenv_user_prompt
    }
}
