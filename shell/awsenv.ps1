# awsenv shell integration for PowerShell. Load it from $PROFILE with:
#   awsenv init powershell | Out-String | Invoke-Expression
# It defines sudo-on, sudo-off, awsenv_prompt and wraps the prompt function; it edits no file.

$global:__awsenv_bin = '@AWSENV_BIN@'
if ($null -eq $global:__awsenv_last) { $global:__awsenv_last = @() }

# sudo-on [ROLE] [assume options...]
# sudo-on --simulate TARGET --base-role BASE [options...]
function global:sudo-on {
    $argv = @($args)
    if ($argv.Count -gt 0 -and $argv[0] -eq '--simulate') {
        if ($argv.Count -lt 2) {
            [Console]::Error.WriteLine('sudo-on: --simulate needs the role to act as: sudo-on --simulate ROLE --base-role BASE')
            return
        }
        $out = & $global:__awsenv_bin simulate --shell powershell --role-name $argv[1] @($argv | Select-Object -Skip 2)
        if ($LASTEXITCODE -ne 0) { return }
        $out | Out-String | Invoke-Expression
        $global:__awsenv_last = $argv
        return
    }
    if ($argv.Count -gt 0 -and -not "$($argv[0])".StartsWith('-')) {
        $call = $argv
    } elseif ($env:AWSENV_DEFAULT_ROLE) {
        $call = @($env:AWSENV_DEFAULT_ROLE) + $argv
    } elseif ($global:__awsenv_last.Count -gt 0) {
        $call = @($global:__awsenv_last) + $argv
    } else {
        [Console]::Error.WriteLine("sudo-on: which role? Run 'sudo-on ROLE', or set AWSENV_DEFAULT_ROLE.")
        return
    }
    if ($call[0] -eq '--simulate') { sudo-on @call; return }
    $out = & $global:__awsenv_bin assume --shell powershell @($call | Select-Object -Skip 1) -- $call[0]
    if ($LASTEXITCODE -ne 0) { return }
    $out | Out-String | Invoke-Expression
    $global:__awsenv_last = $call
}

# sudo-off: back to the environment saved before the first sudo-on.
function global:sudo-off {
    $out = & $global:__awsenv_bin unset --shell powershell
    if ($LASTEXITCODE -ne 0) { return }
    $out | Out-String | Invoke-Expression
}

# The segment for the active role, e.g. "aws:my-role 42m", from the environment alone.
# Settings: AWSENV_PROMPT_FORMAT ("%r" role, "%t" time left; default "aws:%r %t"),
# AWSENV_PROMPT_COLOR / AWSENV_PROMPT_EXPIRED_COLOR (ANSI SGR codes such as "33", "1;31").
function global:awsenv_prompt {
    if (-not $env:AWSENV_ROLE) { return '' }
    $left = [int64]$env:AWSENV_EXPIRES_AT - [DateTimeOffset]::UtcNow.ToUnixTimeSeconds()
    if ($left -le 0) {
        $t = 'expired'; $color = $env:AWSENV_PROMPT_EXPIRED_COLOR
    } else {
        $color = $env:AWSENV_PROMPT_COLOR
        $mins = [math]::Floor(($left + 59) / 60)
        if ($mins -ge 60) { $t = '{0}h{1}m' -f [math]::Floor($mins / 60), ($mins % 60) }
        else { $t = '{0}m' -f $mins }
    }
    $label = $env:AWSENV_ROLE
    if ($env:AWSENV_SIMULATED_BY) { $label = "$label(sim)" }
    $fmt = if ($null -ne $env:AWSENV_PROMPT_FORMAT) { $env:AWSENV_PROMPT_FORMAT } else { 'aws:%r %t' }
    $seg = $fmt.Replace('%r', $label).Replace('%t', $t)
    if ($color) { $seg = "$([char]27)[$($color)m$seg$([char]27)[0m" }
    return $seg
}

# Opt-in: AWSENV_WARN_BEFORE=SECONDS warns once per session that it is about to expire;
# AWSENV_AUTO_REFRESH=1 assumes the role again at that point (default 300 s before).
function global:__awsenv_hook {
    if (-not $env:AWSENV_ROLE) { return }
    if (-not $env:AWSENV_WARN_BEFORE -and $env:AWSENV_AUTO_REFRESH -ne '1') { return }
    $before = if ($env:AWSENV_WARN_BEFORE) { [int64]$env:AWSENV_WARN_BEFORE } else { 300 }
    $left = [int64]$env:AWSENV_EXPIRES_AT - [DateTimeOffset]::UtcNow.ToUnixTimeSeconds()
    if ($left -gt $before) { return }
    if ($env:AWSENV_AUTO_REFRESH -eq '1' -and $global:__awsenv_last.Count -gt 0) {
        $refresh = @($global:__awsenv_last) + @('--min-ttl', "$($before + 60)")
        sudo-on @refresh
        return
    }
    $key = "$($env:AWSENV_SESSION_ARN)@$($env:AWSENV_EXPIRES_AT)"
    if ($global:__awsenv_warned -eq $key) { return }
    $global:__awsenv_warned = $key
    if ($left -gt 0) {
        [Console]::Error.WriteLine("awsenv: $($env:AWSENV_ROLE) expires in $([math]::Floor(($left + 59) / 60))m; run sudo-on to renew")
    } else {
        [Console]::Error.WriteLine("awsenv: $($env:AWSENV_ROLE) has expired; run sudo-on to renew or sudo-off")
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
