#!/bin/bash
# Proves the real-Xen lane.  Run it through run-in-dom0.sh:
#   itests/realxen/run-in-dom0.sh itests/realxen/smoke-dom0.sh [COMMAND [ARGS...]]
#
# Inside dom0 it shows the Xen devices, starts the host JDK, then starts
# dom0's xenstore and drives it with xenstore-utils and Xen's test-xenstore,
# both over its unix socket and through /dev/xen/xenbus (the dom0 kernel's
# xenbus, which the daemon serves over dom0's ring).  Which daemon:
#   REALXEN_XENSTORED=c (default)  Debian's real, unshimmed xenstored (from the
#                                  fakexen cache, over 9p);
#   REALXEN_XENSTORED=sim          the simulator, xenstored-sim --xen-dom0, run
#                                  with the host JDK on the classpath in the file
#                                  REALXEN_SIM_CLASSPATH.
# A kernel's xenbus cannot move to another xenstore, so one boot, one daemon.
# COMMAND, if given, runs after the checks while the daemon still runs, with
# REALXEN_XENSTORED_SOCKET set to its socket (and, for the simulator,
# REALXEN_GRANT_REQUESTS to the folder where it takes requests to serve rings
# clients offer with ring:gntalloc?server=0); its status is one more check.
# Prints PASS/FAIL lines and a closing "N passed, M failed"; exits 1 on any
# failure.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
JAVA=${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}/bin/java
passed=0 failed=0

pass() { echo "PASS $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }

# check NAME COMMAND...: one PASS/FAIL line; the command's output is shown.
check() {
    local name=$1; shift
    if "$@"; then pass "$name"; else fail "$name (exit $?)"; fi
}

# equals NAME EXPECTED COMMAND...: the command's stdout must be EXPECTED.
equals() {
    local name=$1 expected=$2 out; shift 2
    if out=$("$@"); then
        if [ "$out" = "$expected" ]; then pass "$name"
        else fail "$name: got '$out', want '$expected'"; fi
    else
        fail "$name (exit $?)"
    fi
}

fails() { ! "$@" 2>/dev/null; }

ms_since() { local now=$EPOCHREALTIME; echo $(( (${now/./} - ${1/./}) / 1000 )); }

if ! grep -q control_d /proc/xen/capabilities 2>/dev/null; then
    echo "FAIL not in a Xen dom0 (no control_d in /proc/xen/capabilities): run via run-in-dom0.sh"
    exit 1
fi

echo "== dom0"
uname -a
ls -l /dev/xen /proc/xen
echo "xsd_port: $(cat /proc/xen/xsd_port)"
check "xsd_port is a number" grep -qx '[0-9][0-9]*' /proc/xen/xsd_port
for dev in evtchn gntdev gntalloc privcmd xenbus xenbus_backend; do
    check "/dev/xen/$dev is a character device" test -c "/dev/xen/$dev"
done

echo "== host JDK"
t0=$EPOCHREALTIME
check "java -version ($JAVA)" timeout 120 "$JAVA" -version
echo "java -version took $(ms_since "$t0") ms"

daemon=${REALXEN_XENSTORED:-c}
echo "== xenstored ($daemon)"
keys=$("$HERE/../fakexen/provision.sh") || {
    echo "FAIL xen-utils not provisioned: run itests/realxen/provision.sh on the host"; exit 1; }
XENSTORED=$(sed -n 's/^XENSTORED=//p' <<<"$keys")
TEST_XENSTORE=$(sed -n 's/^TEST_XENSTORE=//p' <<<"$keys")
XENSTORE_BIN=$(sed -n 's/^XENSTORE_BIN=//p' <<<"$keys")
export LD_LIBRARY_PATH=$(sed -n 's/^LIBDIR=//p' <<<"$keys")

rundir=$(mktemp -d /run/smoke-xenstored.XXXXXX)
socket=$rundir/socket
case $daemon in
c)
    # -N: stay in the foreground, so $! is xenstored itself.
    XENSTORED_RUNDIR=$rundir XENSTORED_PATH=$socket \
        "$XENSTORED" -N >"$rundir/xenstored.log" 2>&1 &
    ;;
sim)
    [ -r "${REALXEN_SIM_CLASSPATH:-}" ] || {
        echo "FAIL REALXEN_SIM_CLASSPATH must name a readable classpath file"; exit 1; }
    # exec: $! is the JVM itself.  The JVM's start under TCG takes 5-15 s.
    "$JAVA" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djna.tmpdir=/tmp \
        -cp "$(cat "$REALXEN_SIM_CLASSPATH")" org.jxenbus.xenstore.sim.internal.launcher.XenstoredSimMain \
        --xen-dom0 --socket "$socket" --grant-requests "$rundir/grant-requests" >"$rundir/xenstored.log" 2>&1 &
    ;;
*)
    echo "FAIL REALXEN_XENSTORED=$daemon: c or sim"; exit 1 ;;
esac
xenstored_pid=$!
echo "$daemon xenstored pid $xenstored_pid, socket $socket"

stop_xenstored() {
    [ -n "$xenstored_pid" ] || return 0
    kill -TERM "$xenstored_pid" 2>/dev/null
    local i
    for i in $(seq 50); do kill -0 "$xenstored_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$xenstored_pid" 2>/dev/null
    wait "$xenstored_pid" 2>/dev/null
    xenstored_pid=""
}
trap stop_xenstored EXIT

# xs VIA TOOL ARGS...: a xenstore-utils tool over the socket or the kernel's
# device, under a timeout (a client of a xenstore that never answers blocks).
xs() {
    local via=$1 tool=$2; shift 2
    XENSTORED_PATH=$via timeout 20 "$XENSTORE_BIN/xenstore-$tool" "$@"
}

t0=$EPOCHREALTIME
up=0 deadline=$((SECONDS + 120))
while [ "$SECONDS" -lt "$deadline" ] && kill -0 "$xenstored_pid" 2>/dev/null; do
    if xs "$socket" exists / 2>/dev/null; then up=1; break; fi
    sleep 0.25
done
if [ "$up" = 1 ]; then
    pass "xenstored answers on its socket after $(ms_since "$t0") ms"
else
    fail "xenstored never answered on $socket within 120 s"
    cat "$rundir/xenstored.log"
    echo "$passed passed, $failed failed"
    exit 1
fi

# The dom0 kernel's xenbus connects over dom0's ring once xenstored runs and
# writes its control/feature-* nodes itself.
t0=$EPOCHREALTIME
features="" deadline=$((SECONDS + 60))
while [ "$SECONDS" -lt "$deadline" ]; do
    features=$(xs "$socket" list /local/domain/0/control 2>/dev/null | grep '^feature-' || true)
    [ -z "$features" ] || break
    sleep 0.25
done
if [ -n "$features" ]; then
    pass "dom0 kernel wrote control/{$(echo $features | tr ' ' ,)} after $(ms_since "$t0") ms"
else
    fail "dom0 kernel's xenbus wrote no /local/domain/0/control/feature-* within 60 s"
fi

for via in "$socket" /dev/xen/xenbus; do
    echo "== xenstore-utils via $via"
    tag=${via##*/}
    check "write via $tag" xs "$via" write "/smoke/$tag/greeting" "hello from $tag"
    equals "read via $tag" "hello from $tag" xs "$via" read "/smoke/$tag/greeting"
    equals "ls via $tag" "greeting = \"hello from $tag\"" xs "$via" ls "/smoke/$tag"
    check "rm via $tag" xs "$via" rm "/smoke/$tag/greeting"
    check "read of the removed node fails via $tag" fails xs "$via" read "/smoke/$tag/greeting"
done
# What one path wrote, the other reads: both reach the one xenstored.
xs "$socket" write /smoke/cross "from the socket"
equals "device reads the socket's write" "from the socket" xs /dev/xen/xenbus read /smoke/cross
xs /dev/xen/xenbus write /smoke/cross "from the device"
equals "socket reads the device's write" "from the device" xs "$socket" read /smoke/cross

for via in "$socket" /dev/xen/xenbus; do
    echo "== test-xenstore via $via"
    t0=$EPOCHREALTIME
    check "test-xenstore via ${via##*/}" env XENSTORED_PATH="$via" timeout 300 "$TEST_XENSTORE"
    echo "test-xenstore via ${via##*/} took $(ms_since "$t0") ms"
done

echo "== xenstore tree"
xs "$socket" ls /local/domain/0 | head -n 20

if [ $# -gt 0 ]; then
    echo "== $* (with the $daemon xenstored)"
    t0=$EPOCHREALTIME
    grants=""
    [ "$daemon" = sim ] && grants=$rundir/grant-requests
    check "$(basename "$1") with the $daemon xenstored" \
        env REALXEN_XENSTORED_SOCKET="$socket" REALXEN_GRANT_REQUESTS="$grants" "$@"
    echo "$(basename "$1") took $(ms_since "$t0") ms"
fi

stop_xenstored
trap - EXIT
echo "xenstored log (tail):"
tail -n 5 "$rundir/xenstored.log"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
