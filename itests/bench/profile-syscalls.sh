#!/bin/sh
# Where a request's client CPU goes (issue 12): system calls, context switches and user/system time per
# operation, for jxenbus and the C raw client on the real C xenstored's unix socket, counted by `perf stat`.
# Each case runs twice with the same warm-up and N and 2N measured operations; the difference between the two
# runs, divided by N, is the marginal cost of one operation in steady state (the JVM's start, its JIT and the
# warm-up cancel out).
#
#   itests/bench/profile-syscalls.sh [N]        # N = 50000 by default; needs perf, gcc and the distribution
#
# Starts its own xenstored on the fake hypervisor (itests/fakexen) and stops it by its pid. Not part of
# `mvn verify`; the figures are quoted in docs/benchmarks.md.
set -eu

repo=$(cd "$(dirname "$0")/../.." && pwd -P)
dist=$repo/distribution/target/jxenbus
N=${1:-50000}
command -v perf >/dev/null || { echo "profile-syscalls: needs perf (Debian: linux-perf)" >&2; exit 1; }
[ -x "$dist/bin/xenstore-bench" ] || { echo "profile-syscalls: build the distribution first" >&2; exit 1; }
eval "$("$repo/itests/fakexen/provision.sh")"
work=$(mktemp -d /tmp/jxb-prof.XXXXXX)
trap '"$repo/itests/fakexen/xenstored-down.sh" "$work/c" >/dev/null 2>&1 || true' EXIT
trap 'exit 130' INT TERM
"$repo/itests/fakexen/xenstored-up.sh" "$work/c" >/dev/null
gcc -O2 -Wall -I"$LIBDIR/../../include" -o "$work/xs_pipeline" "$repo/itests/bench/c/xs_pipeline.c"
sock=$work/c/socket
events=syscalls:sys_enter_read,syscalls:sys_enter_write,syscalls:sys_enter_futex,syscalls:sys_enter_epoll_wait,syscalls:sys_enter_poll,context-switches

# count COMMAND: perf's counts, then the command's user and system CPU microseconds (the shell's `times`, whose
# second line is its children's), one "name value" a line.
count() {
    perf stat -x, -e "$events" -o "$work/stat" -- sh -c "$1 >$work/out 2>$work/err </dev/null; times >$work/times"
    awk -F, '/^[0-9]/ { sub(/^syscalls:sys_enter_/, "", $3); print $3, $1 }' "$work/stat"
    awk 'NR == 2 { for (i = 1; i <= 2; i++) { split($i, t, /[ms]/); us[i] = (t[1] * 60 + t[2]) * 1e6 }
                   print "user_us", us[1]; print "sys_us", us[2] }' "$work/times"
}

# profile LABEL FACTOR CMD_WITH_N CMD_WITH_2N: prints the per-operation difference; FACTOR is operations per
# measured operation (the C client also runs a fifth as many unmeasured).
profile() {
    label=$1 factor=$2
    count "$3" >"$work/a"
    count "$4" >"$work/b"
    awk -v label="$label" -v n="$N" -v f="$factor" '
        NR == FNR { a[$1] = $2; next }
        { d = ($2 - a[$1]) / (n * f); line = line sprintf(" %s=%.2f", $1, d) }
        END { print label line }' "$work/a" "$work/b"
}

jx="$dist/bin/xenstore-bench --connect unix:$sock --warmup 40000"
echo "per operation, socket reads, N=$N (marginal: runs of N and 2N, difference / N); *_us are CPU microseconds"
profile "jxenbus 16 threads      " 1 "$jx --threads 16 --op read --requests $N" "$jx --threads 16 --op read --requests $((2 * N))"
profile "jxenbus 1 thread, 16 out" 1 "$jx --threads 1 --async 16 --op read --requests $N" \
    "$jx --threads 1 --async 16 --op read --requests $((2 * N))"
profile "jxenbus 1 thread        " 1 "$jx --threads 1 --op read --requests $N" "$jx --threads 1 --op read --requests $((2 * N))"
c="$work/xs_pipeline --socket $sock --op read"
profile "C raw client K=16       " 1.2 "$c --in-flight 16 --requests $N" "$c --in-flight 16 --requests $((2 * N))"
profile "C raw client K=1        " 1.2 "$c --in-flight 1 --requests $N" "$c --in-flight 1 --requests $((2 * N))"
