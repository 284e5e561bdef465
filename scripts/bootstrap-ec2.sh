#!/usr/bin/env bash
# Installs the ddb-replicator KCL worker on an EC2 host (Amazon Linux 2023, Debian, Ubuntu) and
# puts it under systemd: a Java 17+ runtime from the distribution, a system user, the jar in
# /opt/ddb-replicator, the settings in /etc/ddb-replicator, a unit with Restart=always and a
# memory limit, and a timer that restarts the worker when /health fails several times in a row.
#
# Idempotent: a second run with the same inputs changes nothing and restarts nothing. A run with
# a new jar or new settings replaces them (keeping the previous jar) and restarts the worker.
# Needs the templates in systemd/ next to this script. See docs/kcl-worker.md.
set -euo pipefail
# In bash 5.2, '&' in a ${var//pattern/replacement} means the match; values here are literal.
shopt -u patsub_replacement 2>/dev/null || true

readonly program="bootstrap-ec2.sh"
script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

usage() {
    cat <<'USAGE'
usage: bootstrap-ec2.sh --jar PATH|s3://BUCKET/KEY (--config FILE | --pair ID --dead-letter-bucket B [--region R])
                        [options]

Installs (or updates) the ddb-replicator KCL worker as the systemd service ddb-replicator-kcl,
supervised by the timer ddb-replicator-health. Run as root. Safe to run again: what is already
in place is left alone.

what to install:
  --jar PATH|s3://...      The worker jar (replicator-kcl.jar). Needed on the first run; later
                           runs keep the installed one unless given another.
  --config FILE            The worker's settings file (see 'java -jar replicator-kcl.jar --help');
                           installed as /etc/ddb-replicator/worker.properties.
  --pair ID                Instead of --config: write a settings file for this registered pair,
  --dead-letter-bucket B   with this dead-letter bucket,
  --region R               the control table's region (default: the instance's region),
  --health-port PORT       and this port for /health (default 8080),
  --setting KEY=VALUE      and any other worker setting (repeatable), e.g. --setting metrics=cloudwatch:DdbReplicator

how to run it:
  --jvm-opts "OPTS"        JVM options (default: -Xms256m -Xmx1g -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError).
  --memory-max SIZE        systemd MemoryMax of the service, e.g. 1536M, 2G (default 1536M).
  --failures N             Restart the worker after N failed health checks in a row (default 3).
  --check-every TIME       Time between health checks, a systemd time span (default 30s).
  --stop-timeout SECONDS   How long a stop may take before systemd kills the worker (default 90).
  --user NAME              System user to run as (default ddb-replicator).
  --no-start               Install and enable, but do not start or restart anything.

scheduled backup (optional):
  --backup-schedule WHEN   Also install a timer running 'ddb-replicator backup run' at WHEN, a systemd
                           OnCalendar expression such as daily or '*-*-* 03:00:00'.
  --backup-args "ARGS"     Arguments of 'backup run', e.g. "--table Orders --bucket my-backups".
  --cli-jar PATH|s3://...  The ddb-replicator command jar (ddb-replicator.jar) the timer runs.

testing:
  --dry-run                Print what would be done (files with their content, commands); change nothing.
  --root DIR               Install under DIR instead of / and skip what touches the system itself
                           (packages, user, systemctl): to try the script out.
  --help                   Print this text.

exit status: 0 done (or nothing to do), 1 a step failed, 2 bad arguments.
USAGE
}

die() {
    echo "$program: $1" >&2
    exit "${2:-1}"
}

bad_usage() {
    die "$1 (see --help)" 2
}

# ---------------------------------------------------------------------------------------------
# Arguments

jar_source=""
config_source=""
pair=""
region=""
dead_letter_bucket=""
health_port=""
settings=()
jvm_opts="-Xms256m -Xmx1g -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError"
memory_max="1536M"
failures=3
check_every="30s"
stop_timeout=90
service_user="ddb-replicator"
start=true
backup_schedule=""
backup_args=""
cli_jar_source=""
dry_run=false
root=""
templates="$script_dir/systemd"

while (($# > 0)); do
    option="$1"
    value=""
    if [[ "$option" == --*=* ]]; then
        value="${option#*=}"
        option="${option%%=*}"
    fi
    case "$option" in
        --help | -h) usage; exit 0 ;;
        --dry-run) dry_run=true; shift; continue ;;
        --no-start) start=false; shift; continue ;;
        --jar | --config | --pair | --region | --dead-letter-bucket | --health-port | --setting | --jvm-opts | --memory-max | \
            --failures | --check-every | --stop-timeout | --user | --backup-schedule | --backup-args | --cli-jar | --root | --templates)
            if [[ "$1" != *=* ]]; then
                (($# >= 2)) || bad_usage "$option needs a value"
                value="$2"
                shift
            fi
            shift
            ;;
        *) bad_usage "unknown option '$1'" ;;
    esac
    case "$option" in
        --jar) jar_source="$value" ;;
        --config) config_source="$value" ;;
        --pair) pair="$value" ;;
        --region) region="$value" ;;
        --dead-letter-bucket) dead_letter_bucket="$value" ;;
        --health-port) health_port="$value" ;;
        --setting) settings+=("$value") ;;
        --jvm-opts) jvm_opts="$value" ;;
        --memory-max) memory_max="$value" ;;
        --failures) failures="$value" ;;
        --check-every) check_every="$value" ;;
        --stop-timeout) stop_timeout="$value" ;;
        --user) service_user="$value" ;;
        --backup-schedule) backup_schedule="$value" ;;
        --backup-args) backup_args="$value" ;;
        --cli-jar) cli_jar_source="$value" ;;
        --root) root="$value" ;;
        --templates) templates="$value" ;;
    esac
done

[[ -z "$root" || "$root" == /* ]] || bad_usage "--root must be an absolute path, got '$root'"
root="${root%/}"
opt_dir="/opt/ddb-replicator"
etc_dir="/etc/ddb-replicator"
unit_dir="/etc/systemd/system"

[[ "$failures" =~ ^[1-9][0-9]{0,2}$ ]] || bad_usage "--failures must be a whole number from 1 to 999, got '$failures'"
[[ "$memory_max" =~ ^[1-9][0-9]*[KMGT]?$ ]] || bad_usage "--memory-max must look like 1536M or 2G, got '$memory_max'"
[[ "$check_every" =~ ^[1-9][0-9]*(ms|s|min|m|h)?$ ]] || bad_usage "--check-every must be a time span such as 30s or 1min, got '$check_every'"
[[ "$stop_timeout" =~ ^[1-9][0-9]{0,3}$ ]] || bad_usage "--stop-timeout must be seconds (1-9999), got '$stop_timeout'"
[[ "$service_user" =~ ^[a-z_][a-z0-9_-]{0,31}$ ]] || bad_usage "--user must be a system user name, got '$service_user'"
[[ -z "$health_port" || "$health_port" =~ ^[1-9][0-9]{0,4}$ ]] || bad_usage "--health-port must be a port number, got '$health_port'"
[[ -d "$templates" ]] || die "no templates in $templates: keep the systemd/ directory next to this script, or pass --templates DIR"

if [[ -n "$config_source" ]]; then
    [[ -z "$pair$dead_letter_bucket$region$health_port" && ${#settings[@]} -eq 0 ]] ||
        bad_usage "give either --config FILE or --pair/--dead-letter-bucket/--region/--health-port/--setting, not both"
    [[ -f "$config_source" ]] || bad_usage "--config: no such file '$config_source'"
elif [[ -n "$pair$dead_letter_bucket$region$health_port" || ${#settings[@]} -gt 0 ]]; then
    [[ -n "$pair" ]] || bad_usage "--pair is needed to write the settings (or give --config FILE)"
    [[ -n "$dead_letter_bucket" ]] || bad_usage "--dead-letter-bucket is needed to write the settings (or give --config FILE)"
    for setting in "${settings[@]}"; do
        [[ "$setting" =~ ^[a-z][a-z0-9-]*=.+$ ]] || bad_usage "--setting must be KEY=VALUE, got '$setting'"
    done
elif [[ ! -f "$root$etc_dir/worker.properties" ]]; then
    bad_usage "no settings yet: give --config FILE, or --pair ID and --dead-letter-bucket BUCKET"
fi
if [[ -z "$jar_source" && ! -f "$root$opt_dir/replicator-kcl.jar" ]]; then
    bad_usage "--jar is needed on the first run (a local path or an s3:// URL of replicator-kcl.jar)"
fi
if [[ -n "$backup_schedule" ]]; then
    [[ -n "$backup_args" ]] || bad_usage "--backup-schedule needs --backup-args (the arguments of 'ddb-replicator backup run')"
    [[ -n "$cli_jar_source" || -f "$root$opt_dir/ddb-replicator.jar" ]] ||
        bad_usage "--backup-schedule needs --cli-jar (ddb-replicator.jar) on its first run"
    [[ "$backup_schedule" != *$'\n'* && "$backup_args" != *$'\n'* ]] || bad_usage "--backup-schedule and --backup-args are one line each"
fi
if [[ -z "$root" && "$dry_run" == false && "$(id -u)" -ne 0 ]]; then
    die "run as root (sudo), or try it out with --dry-run or --root DIR" 2
fi

# ---------------------------------------------------------------------------------------------
# Steps. Each says what it did; 'changed' collects what needs the worker restarted.

changed=()
units_changed=false

say() {
    echo "  $*"
}

# Whether steps that change the system itself (packages, users, systemctl) are skipped.
system_skipped() {
    [[ "$dry_run" == true || -n "$root" ]]
}

# Runs a command that changes the system, or says it would.
system() {
    if [[ "$dry_run" == true ]]; then
        say "would run: $*"
    elif [[ -n "$root" ]]; then
        say "skipped with --root: $*"
    else
        "$@"
    fi
}

# write_file PATH MODE CONTENT [GROUP]: writes the file unless it already holds exactly that.
write_file() {
    local path="$root$1" mode="$2" content="$3" group="${4:-root}"
    if [[ -f "$path" ]] && [[ "$(cat "$path")" == "$content" ]] && [[ "$(stat -c %a "$path")" == "${mode#0}" ]]; then
        say "unchanged: $path"
        return 1
    fi
    if [[ "$dry_run" == true ]]; then
        say "would write: $path (mode $mode)"
        local line
        while IFS= read -r line; do
            echo "      | $line"
        done <<<"$content"
        return 0
    fi
    mkdir -p "$(dirname "$path")"
    local temp
    temp="$(mktemp "$path.XXXXXX")"
    printf '%s\n' "$content" > "$temp"
    chmod "$mode" "$temp"
    if [[ -z "$root" ]]; then
        chown "root:$group" "$temp"
    fi
    mv -f "$temp" "$path"
    say "wrote: $path"
    return 0
}

# install_jar SOURCE TARGET: fetches a jar from a path or s3:// and puts it in place if it differs.
install_jar() {
    local source="$1" target="$root$2"
    if [[ "$dry_run" == true ]]; then
        if [[ -f "$source" && -f "$target" ]] && cmp -s "$source" "$target"; then
            say "unchanged: $target"
            return 1
        fi
        say "would install: $source -> $target"
        return 0
    fi
    local temp
    mkdir -p "$(dirname "$target")"
    temp="$(mktemp "$target.XXXXXX")"
    if [[ "$source" == s3://* ]]; then
        command -v aws >/dev/null || { rm -f "$temp"; die "fetching $source needs the AWS CLI (dnf/apt-get install awscli), or give a local path"; }
        aws s3 cp --only-show-errors "$source" "$temp" || { rm -f "$temp"; die "cannot fetch $source"; }
    else
        [[ -f "$source" ]] || { rm -f "$temp"; bad_usage "no such jar '$source'"; }
        cp "$source" "$temp"
    fi
    unzip -tq "$temp" >/dev/null 2>&1 || jar_looks_ok "$temp" || { rm -f "$temp"; die "$source is not a jar"; }
    if [[ -f "$target" ]] && cmp -s "$temp" "$target"; then
        rm -f "$temp"
        say "unchanged: $target"
        return 1
    fi
    chmod 0644 "$temp"
    if [[ -f "$target" ]]; then
        cp -p "$target" "$target.previous"
        say "kept the previous jar as $target.previous"
    fi
    mv -f "$temp" "$target"
    say "installed: $source -> $target"
    return 0
}

# A jar is a zip file: without unzip, check its magic number.
jar_looks_ok() {
    [[ "$(head -c 4 "$1" | od -An -tx1 | tr -d ' \n')" == "504b0304" ]]
}

render() {
    local template="$templates/$1" content
    [[ -f "$template" ]] || die "template $template is missing"
    content="$(cat "$template")"
    content="${content//@USER@/$service_user}"
    content="${content//@OPT_DIR@/$opt_dir}"
    content="${content//@ETC_DIR@/$etc_dir}"
    content="${content//@JAVA@/$java_path}"
    content="${content//@MEMORY_MAX@/$memory_max}"
    content="${content//@STOP_TIMEOUT@/$stop_timeout}"
    content="${content//@FAILURES@/$failures}"
    content="${content//@CHECK_EVERY@/$check_every}"
    content="${content//@HEALTH_PORT@/$effective_port}"
    content="${content//@BACKUP_SCHEDULE@/$backup_schedule}"
    content="${content//@BACKUP_ARGS@/$backup_args}"
    printf '%s' "$content"
}

java_major() {
    local version
    version="$("$1" -version 2>&1 | awk -F'"' '/version/ {print $2; exit}')"
    version="${version#1.}"
    echo "${version%%[.+-]*}"
}

ensure_java() {
    local found major=""
    found="$(command -v java || true)"
    if [[ -n "$found" ]]; then
        major="$(java_major "$found" || true)"
    fi
    if [[ "$major" =~ ^[0-9]+$ ]] && ((major >= 17)); then
        java_path="$(readlink -f "$found")"
        # The alternatives link survives runtime updates; the resolved path may not.
        if [[ -x /usr/bin/java ]]; then
            java_path=/usr/bin/java
        fi
        say "java: $major at $java_path"
        return
    fi
    java_path=/usr/bin/java
    local os_id=""
    if [[ -r /etc/os-release ]]; then
        # shellcheck source=/dev/null
        os_id="$(. /etc/os-release && echo "${ID:-}")"
    fi
    case "$os_id" in
        amzn)
            system dnf install -y java-17-amazon-corretto-headless curl-minimal
            ;;
        debian | ubuntu)
            local package=openjdk-17-jre-headless
            if ! system_skipped && ! apt-cache show "$package" >/dev/null 2>&1; then
                package=openjdk-21-jre-headless
            fi
            system env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$package" curl ca-certificates ||
                { system apt-get update && system env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
                    "$package" curl ca-certificates; }
            ;;
        *)
            system_skipped || die "no Java 17+ found and this is not Amazon Linux, Debian or Ubuntu ($os_id): install Java 17+ first"
            say "java: would need Java 17+ (unknown system '$os_id')"
            ;;
    esac
}

ensure_user() {
    if id -u "$service_user" >/dev/null 2>&1; then
        say "user: $service_user exists"
        return
    fi
    local nologin=/usr/sbin/nologin
    [[ -x "$nologin" ]] || nologin=/sbin/nologin
    system useradd --system --user-group --no-create-home --home-dir "$opt_dir" --shell "$nologin" "$service_user"
}

settings_content() {
    if [[ -n "$config_source" ]]; then
        cat "$config_source"
        return
    fi
    echo "# Written by $program; see 'java -jar $opt_dir/replicator-kcl.jar --help' for every setting."
    echo "pair = $pair"
    if [[ -n "$region" ]]; then
        echo "region = $region"
    fi
    echo "dead-letter-bucket = $dead_letter_bucket"
    echo "health-port = ${health_port:-8080}"
    local setting
    for setting in "${settings[@]}"; do
        echo "${setting%%=*} = ${setting#*=}"
    done
}

instance_region() {
    local token
    token="$(curl -sS --max-time 2 -X PUT http://169.254.169.254/latest/api/token \
        -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' 2>/dev/null || true)"
    [[ -n "$token" ]] || return 0
    curl -sS --max-time 2 -H "X-aws-ec2-metadata-token: $token" http://169.254.169.254/latest/meta-data/placement/region 2>/dev/null || true
}

# ---------------------------------------------------------------------------------------------

mode="install"
[[ "$dry_run" == true ]] && mode="dry run"
echo "ddb-replicator KCL worker: $mode${root:+ under $root}"

java_path=/usr/bin/java
ensure_java
ensure_user

if [[ -n "$jar_source" ]] && install_jar "$jar_source" "$opt_dir/replicator-kcl.jar"; then
    changed+=("jar")
fi

if [[ -z "$config_source" && -n "$pair" && -z "$region" && -z "$root" && "$dry_run" == false ]]; then
    region="$(instance_region)"
    [[ -n "$region" ]] || die "--region is needed (the instance metadata did not say which region this is)" 2
fi
if [[ -n "$config_source" || -n "$pair" ]]; then
    if write_file "$etc_dir/worker.properties" 0640 "$(settings_content)" "$service_user"; then
        changed+=("settings")
    fi
fi
# The health check asks the port the settings name (in a dry run, the ones that would be written).
effective_port=""
if [[ "$dry_run" == true && ( -n "$config_source" || -n "$pair" ) ]]; then
    effective_port="$(settings_content | sed -n 's/^[[:space:]]*health-port[[:space:]]*[=:][[:space:]]*\([0-9]*\).*/\1/p' | tail -n 1)"
elif [[ -f "$root$etc_dir/worker.properties" ]]; then
    effective_port="$(sed -n 's/^[[:space:]]*health-port[[:space:]]*[=:][[:space:]]*\([0-9]*\).*/\1/p' "$root$etc_dir/worker.properties" | tail -n 1)"
fi
effective_port="${effective_port:-8080}"

if write_file "$etc_dir/worker.env" 0644 "# JVM options of the KCL worker, written by $program.
JAVA_OPTS=$jvm_opts"; then
    changed+=("JVM options")
fi
if write_file "$opt_dir/bin/health-check" 0755 "$(render health-check.in)"; then
    units_changed=true
fi
for unit in ddb-replicator-kcl.service ddb-replicator-health.service ddb-replicator-health.timer; do
    if write_file "$unit_dir/$unit" 0644 "$(render "$unit.in")"; then
        units_changed=true
        [[ "$unit" == ddb-replicator-kcl.service ]] && changed+=("unit")
    fi
done

timers=(ddb-replicator-health.timer)
if [[ -n "$backup_schedule" ]]; then
    if [[ -n "$cli_jar_source" ]]; then
        install_jar "$cli_jar_source" "$opt_dir/ddb-replicator.jar" || true
    fi
    for unit in ddb-replicator-backup.service ddb-replicator-backup.timer; do
        if write_file "$unit_dir/$unit" 0644 "$(render "$unit.in")"; then
            units_changed=true
        fi
    done
    timers+=(ddb-replicator-backup.timer)
fi

if [[ "$units_changed" == true ]]; then
    system systemctl daemon-reload
fi
if [[ "$start" == true ]]; then
    if ! system_skipped && systemctl is-enabled --quiet ddb-replicator-kcl.service 2>/dev/null &&
        systemctl is-active --quiet ddb-replicator-kcl.service; then
        if ((${#changed[@]} > 0)); then
            say "restarting the worker: new ${changed[*]}"
            system systemctl restart ddb-replicator-kcl.service
        fi
    else
        system systemctl enable --now ddb-replicator-kcl.service
    fi
    system systemctl enable --now "${timers[@]}"
else
    system systemctl enable ddb-replicator-kcl.service "${timers[@]}"
fi

if [[ "$dry_run" == true ]]; then
    echo "dry run: nothing was changed"
elif ((${#changed[@]} == 0)) && [[ "$units_changed" == false ]]; then
    echo "nothing changed"
else
    echo "done; follow the worker with: journalctl -u ddb-replicator-kcl -f; health: curl -s localhost:$effective_port/health"
fi
