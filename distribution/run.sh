#!/bin/bash
# The README's "run" command. Builds the project if distribution/target/jxenbus is missing, starts Debian's
# real xenstored on the fake hypervisor in /tmp/jxenbus-run (unless it already runs there), then runs the
# xenstore command against unix:/tmp/jxenbus-run/socket: with arguments, exactly those; without, a short
# demo that shows each command before running it.
#
# Usage: distribution/run.sh [xenstore arguments...]     e.g. distribution/run.sh ls /
# Stop the daemon with: itests/fakexen/xenstored-down.sh /tmp/jxenbus-run
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
RUN=/tmp/jxenbus-run
SOCKET=$RUN/socket
XENSTORE=$ROOT/distribution/target/jxenbus/bin/xenstore
. "$ROOT/itests/fakexen/lib.sh"

if [ ! -x "$XENSTORE" ]; then
    echo "run.sh: building jxenbus (mvn -B -q package -DskipTests) ..." >&2
    (cd "$ROOT" && mvn -B -q package -DskipTests)
fi

if [ -e "$RUN/xenstored.pid" ] && serves_folder "$(cat "$RUN/xenstored.pid")" "$RUN"; then
    :
else
    echo "run.sh: starting xenstored in $RUN ..." >&2
    "$ROOT/itests/fakexen/xenstored-up.sh" "$RUN" >/dev/null
fi

stop_hint() {
    echo "run.sh: xenstored keeps running; stop it with: $ROOT/itests/fakexen/xenstored-down.sh $RUN" >&2
}

xs() {
    "$XENSTORE" --connect "unix:$SOCKET" "$@"
}

if [ $# -gt 0 ]; then
    status=0
    xs "$@" || status=$?
    stop_hint
    exit "$status"
fi

# Shows a command (as typed, without the --connect every command here carries), then runs it.
show() {
    local shown=xenstore a
    for a in "$@"; do
        case $a in
            '' | *[!A-Za-z0-9_/.,:=@%+-]*) shown+=" '${a//\'/\'\\\'\'}'" ;;
            *) shown+=" $a" ;;
        esac
    done
    echo "\$ $shown"
    local status=0
    xs "$@" || status=$?
    if [ "$status" -ne 0 ]; then
        echo "(exit status $status)"
    fi
}

echo "Every command below runs as: $XENSTORE --connect unix:$SOCKET ..."
show rm /demo
show write /demo/greeting hello /demo/vm/name guest1 /demo/vm/memory 1024 /demo/bytes 'tab\there\x01'
show read /demo/greeting /demo/vm/name
show read -p /demo/bytes
show ls /demo
show list -p /demo/vm
show chmod /demo/vm n0 r5
show ls -p /demo
show exists /demo/vm/name
show exists /demo/nope
show rm /demo/vm/memory
show ls -f /demo

# watch -n 2: the initial event, then one change made from the background once the watch is set.
echo "\$ xenstore watch -n 2 /demo/greeting     (a background job writes /demo/greeting meanwhile)"
xs watch -n 2 /demo/greeting &
watcher=$!
for n in 1 2 3 4 5 6 7 8 9 10; do
    sleep 1
    alive "$watcher" || break
    xs write /demo/greeting "bonjour $n"
done
wait "$watcher" || echo "(exit status $?)"
show read /demo/greeting
stop_hint
