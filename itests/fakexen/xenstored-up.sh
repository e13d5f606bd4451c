#!/bin/bash
# Starts the real xenstored on the fake hypervisor for host folder D
# (FAKE-HYPERVISOR.md): makes a zeroed D/dom0.ring, D/xsd_port and the FIFO
# D/dom0.evtchn, starts xenstored -N in the background with the shim, waits
# until D/socket answers, and records the pid in D/xenstored.pid.
#
# Usage: xenstored-up.sh D [CACHE_DIR]
# Prints: XENSTORED_PATH=D/socket and XENSTORED_PID=<pid>.
# xenstored's stdout/stderr go to D/xenstored.log.  Stop it with
# xenstored-down.sh D.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$HERE/lib.sh"
[ $# -ge 1 ] || { echo "usage: $0 D [CACHE_DIR]" >&2; exit 2; }
mkdir -p "$1"
D=$(cd "$1" && pwd)
SOCKET=$D/socket
# sockaddr_un.sun_path holds 107 characters plus NUL.
if [ ${#SOCKET} -gt 107 ]; then
    echo "xenstored-up: $SOCKET is too long for a unix socket path" >&2
    exit 2
fi

while IFS='=' read -r key value; do
    case $key in
        XENSTORED|XENSTORE_BIN|LIBDIR|SHIM) printf -v "$key" '%s' "$value" ;;
    esac
done < <("$HERE/provision.sh" ${2:+"$2"})
: "${XENSTORED:?provision.sh failed}"

if [ -e "$D/xenstored.pid" ]; then
    old=$(cat "$D/xenstored.pid")
    if serves_folder "$old" "$D"; then
        echo "xenstored-up: already running for $D as pid $old" >&2
        exit 1
    fi
    rm -f "$D/xenstored.pid"
fi

# A fresh inode, so a client still mapping an old page cannot scribble on the
# new dom0 ring; xenstored does not reset dom0's indices itself.
head -c 4096 /dev/zero > "$D/dom0.ring.tmp"
mv -f "$D/dom0.ring.tmp" "$D/dom0.ring"
echo 1 > "$D/xsd_port"
# Existing FIFOs are kept: a client that holds one open keeps working across
# a restart.  Anything else in their place is replaced.
for fifo in "$D/dom0.evtchn" "$D/xenstored.evtchn"; do
    if [ -e "$fifo" ] && ! [ -p "$fifo" ]; then rm -f "$fifo"; fi
done
[ -p "$D/dom0.evtchn" ] || mkfifo -m 600 "$D/dom0.evtchn"
rm -f "$SOCKET"

# No -D: xenstored 4.17 then has no dom0 and crashes on the first request.
# No -V: its logging costs more than the work.
env LD_PRELOAD="$SHIM" FAKEXEN_DIR="$D" XENSTORED_RUNDIR="$D" \
    XENSTORED_PATH="$SOCKET" LD_LIBRARY_PATH="$LIBDIR" \
    "$XENSTORED" -N </dev/null >>"$D/xenstored.log" 2>&1 &
pid=$!

# Ready once a real request over the socket gets an answer.
deadline=$((SECONDS + 10))
until [ -S "$SOCKET" ] &&
      LD_LIBRARY_PATH=$LIBDIR XENSTORED_PATH=$SOCKET \
      timeout 2 "$XENSTORE_BIN/xenstore-exists" /tool >/dev/null 2>&1; do
    if ! alive "$pid"; then
        echo "xenstored-up: xenstored exited; log follows" >&2
        tail -n 20 "$D/xenstored.log" >&2
        exit 1
    fi
    if [ $SECONDS -ge $deadline ]; then
        echo "xenstored-up: $SOCKET not answering after 10 s; stopping pid $pid" >&2
        kill -KILL "$pid" 2>/dev/null || true
        exit 1
    fi
    sleep 0.05
done

echo "$pid" > "$D/xenstored.pid"
echo "XENSTORED_PATH=$SOCKET"
echo "XENSTORED_PID=$pid"
