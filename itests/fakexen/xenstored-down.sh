#!/bin/bash
# Stops the xenstored that xenstored-up.sh started for folder D, by the pid in
# D/xenstored.pid (never by name): TERM, up to 5 s grace, then KILL.
# Leaves the rings and FIFOs in D; removes D/socket and D/xenstored.pid.
#
# Usage: xenstored-down.sh D
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$HERE/lib.sh"
[ $# -eq 1 ] || { echo "usage: $0 D" >&2; exit 2; }
D=$(cd "$1" && pwd)

if ! [ -e "$D/xenstored.pid" ]; then
    echo "xenstored-down: no $D/xenstored.pid; nothing to stop" >&2
    exit 0
fi
pid=$(cat "$D/xenstored.pid")

if serves_folder "$pid" "$D"; then
    kill -TERM "$pid"
    for _ in $(seq 50); do
        alive "$pid" || break
        sleep 0.1
    done
    if alive "$pid"; then
        echo "xenstored-down: pid $pid ignored TERM for 5 s; sending KILL" >&2
        kill -KILL "$pid"
    fi
else
    echo "xenstored-down: pid $pid is not running for $D (already stopped)" >&2
fi
rm -f "$D/xenstored.pid" "$D/socket"
