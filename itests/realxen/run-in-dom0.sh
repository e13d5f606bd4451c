#!/bin/bash
# Boots Xen 4.17 and a Debian PV dom0 under QEMU (TCG) and runs SCRIPT inside
# dom0, chrooted into this host's root, at the same absolute paths.
#
# Usage: run-in-dom0.sh [--timeout SECONDS] [--results DIR] [--env NAME=VALUE]...
#                       SCRIPT [ARGS...]
#   --timeout  wall-clock limit for boot + script, default 600.  When it
#              passes, QEMU is killed by the pid this script started.
#   --results  the results folder (created; must be empty or absent); default
#              a fresh mktemp -d /tmp/realxen.XXXXXX.
#   --env      extra environment for SCRIPT (repeatable).
#
# SCRIPT runs as root in dom0 with cwd = the caller's cwd, stdin /dev/null and
# the environment PATH HOME USER LANG LC_ALL TZ JAVA_HOME JXENBUS_CACHE (those
# that are set here), the --env ones, REALXEN_RESULTS=<results folder> and
# REALXEN_DOM0=1.  Inside dom0 the whole host root is readable; writes land in
# RAM and vanish, except under the results folder, which is the host's.
#
# Output: SCRIPT's stdout on stdout, its stderr on stderr; this script's own
# messages go to stderr prefixed "run-in-dom0:", including the results folder
# and the serial log (QEMU's console: Xen and dom0 boot messages).
# Exit status: SCRIPT's own; 2 if the boot never reached SCRIPT (or dom0 died
# under it); 3 on timeout (the wall-clock limit, or SCRIPT killed by the
# in-dom0 limit of SECONDS-40 when that is at least 20 s); 64 on bad usage.
# The results folder keeps outcome ("exited N", "timeout" or "boot-failed"),
# stdout, stderr, exit-code, serial.log and the job.sh that ran; README.md
# lists every file.
#
# For debugging only: REALXEN_XEN_OPTS and REALXEN_DOM0_OPTS are appended to
# Xen's and dom0's kernel command lines.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../fakexen/lib.sh
. "$HERE/../fakexen/lib.sh"   # alive

# The boot up to the job takes 15-35 s here under TCG; the in-dom0 limit
# leaves this much of the wall-clock limit to boot and power off.
BOOT_ALLOWANCE=40
ENV_PASSED=(PATH HOME USER LANG LC_ALL TZ JAVA_HOME JXENBUS_CACHE)

say() { echo "run-in-dom0: $*" >&2; }
usage() { sed -n '5,12s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2; exit 64; }

timeout_s=600 results="" extra_env=()
while [ $# -gt 0 ]; do
    case $1 in
        --timeout) [ $# -ge 2 ] || usage; timeout_s=$2; shift 2 ;;
        --results) [ $# -ge 2 ] || usage; results=$2; shift 2 ;;
        --env)     [ $# -ge 2 ] && [[ $2 == [A-Za-z_]*=* ]] || usage
                   extra_env+=("$2"); shift 2 ;;
        --)        shift; break ;;
        -*)        usage ;;
        *)         break ;;
    esac
done
[ $# -ge 1 ] || usage
[[ $timeout_s =~ ^[1-9][0-9]*$ ]] || { say "--timeout wants whole seconds"; usage; }
script=$(realpath -e "$1") || { say "no such script: $1"; exit 64; }
shift
case $script in
    /run/*|/proc/*|/sys/*|/dev/*)
        say "$script: dom0 has its own /run, /proc, /sys and /dev; put SCRIPT elsewhere"
        exit 64 ;;
esac

# Single-quoted for sh: safe for any bytes but NUL.
quote() { printf "'%s'" "${1//\'/\'\\\'\'}"; }

declare -A lane=()
while IFS='=' read -r key value; do
    lane[$key]=$value
done < <("$HERE/provision.sh")
for key in XEN KERNEL INITRD QEMU; do
    [ -n "${lane[$key]:-}" ] || { say "provision.sh printed no $key"; exit 2; }
done

if [ -z "$results" ]; then
    results=$(mktemp -d /tmp/realxen.XXXXXX)
else
    mkdir -p "$results"
    [ -z "$(ls -A "$results")" ] || { say "results folder $results is not empty"; exit 64; }
    results=$(realpath "$results")
fi
# Multiboot module lists are comma-separated and so are -virtfs options.
for path in "${lane[KERNEL]}" "${lane[INITRD]}"; do
    [[ $path != *,* ]] || { say "a comma in $path breaks QEMU's -initrd list"; exit 64; }
done
serial=$results/serial.log
say "results: $results"
say "serial log: $serial"

inner_timeout=$((timeout_s - BOOT_ALLOWANCE))
if [ "$inner_timeout" -lt 20 ]; then inner_timeout=0; fi
{
    echo "RESULTS_PATH=$(quote "$results")"
} >"$results/boot.conf"
{
    echo "# Written by run-in-dom0.sh; run by dom0's /init inside the chroot."
    for name in "${ENV_PASSED[@]}"; do
        if [ -n "${!name+set}" ]; then echo "export $name=$(quote "${!name}")"; fi
    done
    for kv in "${extra_env[@]}"; do
        echo "export ${kv%%=*}=$(quote "${kv#*=}")"
    done
    echo "export REALXEN_RESULTS=$(quote "$results") REALXEN_DOM0=1"
    echo "cd $(quote "$PWD") 2>/dev/null || cd /"
    printf 'exec'
    if [ "$inner_timeout" -gt 0 ]; then
        # coreutils' timeout: exit 124 and, with --verbose, a line on stderr.
        printf ' /usr/bin/timeout --verbose -k 10 %s' "$inner_timeout"
    fi
    if ! [ -x "$script" ]; then printf ' /bin/bash'; fi
    printf ' %s' "$(quote "$script")"
    for arg in "$@"; do printf ' %s' "$(quote "$arg")"; done
    echo
} >"$results/job.sh"
# Tells dom0's /init that the share it mounted is a results folder.
mkdir "$results/.realxen"

qemu_pid=""
stop_qemu() {
    [ -n "$qemu_pid" ] && alive "$qemu_pid" || return 0
    kill -TERM "$qemu_pid" 2>/dev/null || true
    local i
    for i in $(seq 50); do alive "$qemu_pid" || break; sleep 0.1; done
    if alive "$qemu_pid"; then kill -KILL "$qemu_pid" 2>/dev/null || true; fi
    wait "$qemu_pid" 2>/dev/null || true
}
trap 'stop_qemu' EXIT
trap 'say "interrupted: killing QEMU pid $qemu_pid"; exit 130' INT TERM

# Xen takes its own options from -append; the multiboot modules are dom0's
# kernel (with dom0's command line) and dom0's initramfs.
start=$SECONDS
"${lane[QEMU]}" -accel tcg -cpu qemu64 -m 3072 -smp 2 \
    -nographic -no-reboot -nic none \
    -kernel "${lane[XEN]}" -append "console=com1 dom0_mem=2048M bootscrub=false ${REALXEN_XEN_OPTS:-}" \
    -initrd "${lane[KERNEL]} console=hvc0 panic=1 ${REALXEN_DOM0_OPTS:-},${lane[INITRD]}" \
    -virtfs local,path=/,mount_tag=host,security_model=none,readonly=on,multidevs=remap \
    -virtfs "local,path=${results//,/,,},mount_tag=results,security_model=none" \
    </dev/null >"$serial" 2>&1 &
qemu_pid=$!
say "QEMU pid $qemu_pid, timeout ${timeout_s} s"

timed_out=0 started_at=""
while alive "$qemu_pid"; do
    if [ -z "$started_at" ] && [ -e "$results/script-started" ]; then
        started_at=$((SECONDS - start))
        say "boot reached the script after ${started_at} s"
    fi
    if [ $((SECONDS - start)) -ge "$timeout_s" ]; then
        timed_out=1
        say "!!!!!! BOOT/TEST TIMED OUT after ${timeout_s} s: killing QEMU (pid $qemu_pid) !!!!!!"
        stop_qemu
        break
    fi
    sleep 0.5
done
qemu_status=0
wait "$qemu_pid" 2>/dev/null || qemu_status=$?
qemu_pid=""
say "QEMU exited (status $qemu_status) after $((SECONDS - start)) s"

# One line for wrappers: "exited N", "timeout" or "boot-failed".
outcome() { echo "$1" >"$results/outcome"; say "outcome: $1"; }

if [ -e "$results/stdout" ]; then cat "$results/stdout"; fi
if [ -e "$results/stderr" ]; then cat "$results/stderr" >&2; fi

if [ "$timed_out" = 1 ]; then
    if [ -n "$started_at" ]; then
        say "the script had run for $((timeout_s - started_at)) s; its output so far is above"
    else
        say "the boot had not reached the script; last lines of $serial:"
        tail -n 15 "$serial" >&2
    fi
    outcome timeout
    exit 3
fi
code=$(cat "$results/exit-code" 2>/dev/null) || true
if [[ $code =~ ^[0-9]+$ ]]; then
    if [ "$code" = 124 ] && grep -q '^/usr/bin/timeout: sending signal' "$results/stderr" 2>/dev/null; then
        say "!!!!!! TEST TIMED OUT inside dom0 after ${inner_timeout} s !!!!!!"
        outcome timeout
        exit 3
    fi
    outcome "exited $code"
    exit "$code"
fi
if [ -e "$results/init-failed" ]; then
    say "dom0's /init failed: $(cat "$results/init-failed")"
elif [ -e "$results/script-started" ]; then
    say "dom0 died while the script ran"
else
    say "the boot never reached the script"
fi
say "last lines of $serial:"
tail -n 30 "$serial" >&2
outcome boot-failed
exit 2
