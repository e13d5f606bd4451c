#!/bin/bash
# Provisions Debian's real xenstored 4.17 and its peers into a cache folder,
# without installing anything system-wide, and builds the fake-hypervisor shim.
#
# Usage: provision.sh [CACHE_DIR]
#   default CACHE_DIR: ${JXENBUS_CACHE:-$HOME/.cache/jxenbus}/xen-4.17
#
# Prints KEY=value lines on stdout (progress goes to stderr), every time:
#   XENSTORED TEST_XENSTORE XENSTORE_BIN LIBDIR SHIM PYXS_PATH
# Idempotent and safe to run concurrently: the work is done under a flock and
# CACHE_DIR/.complete is touched last.  The shim is rebuilt whenever
# shim/fakexen.c is newer than CACHE_DIR/fakexen.so.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SHIM_SRC=$HERE/shim/fakexen.c
CACHE=${1:-${JXENBUS_CACHE:-$HOME/.cache/jxenbus}/xen-4.17}
ROOT=$CACHE/root
SHIM=$CACHE/fakexen.so

PACKAGES=(xen-utils-4.17 libxenstore4 libxenmisc4.17 libxenevtchn1 libxengnttab1
          libxencall1 libxenforeignmemory1 libxentoollog1 libxentoolcore1
          libxendevicemodel1 libxenhypfs1 xenstore-utils libxen-dev)
OPTIONAL_PACKAGES=(python3-pyxs)

log() { echo "provision: $*" >&2; }

print_keys() {
    echo "XENSTORED=$ROOT/usr/lib/xen-4.17/bin/xenstored"
    echo "TEST_XENSTORE=$ROOT/usr/lib/xen-4.17/bin/test-xenstore"
    echo "XENSTORE_BIN=$ROOT/usr/bin"
    echo "LIBDIR=$ROOT/usr/lib/x86_64-linux-gnu"
    echo "SHIM=$SHIM"
    if [ -d "$ROOT/usr/lib/python3/dist-packages/pyxs" ]; then
        echo "PYXS_PATH=$ROOT/usr/lib/python3/dist-packages"
    else
        echo "PYXS_PATH="
    fi
}

up_to_date() {
    [ -e "$CACHE/.complete" ] && [ -e "$SHIM" ] && ! [ "$SHIM_SRC" -nt "$SHIM" ]
}

if up_to_date; then
    print_keys
    exit 0
fi

mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
flock 9
# Another run may have finished while we waited for the lock.
if up_to_date; then
    print_keys
    exit 0
fi

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"
    elif command -v sudo >/dev/null; then sudo "$@"
    else log "not root and no sudo: cannot run $*"; return 1
    fi
}

# apt-get download needs no root; only a stale package index needs an update.
download() {
    local dir=$1; shift
    (cd "$dir" && apt-get download "$@") >&2
}

fetch_and_extract() {
    local tmp
    tmp=$(mktemp -d "$CACHE/download.XXXXXX")
    # The _apt sandbox user cannot write here; apt warns and downloads anyway.
    chmod 755 "$tmp"
    if ! download "$tmp" "${PACKAGES[@]}"; then
        log "apt-get download failed; running apt-get update once"
        as_root apt-get update >&2
        download "$tmp" "${PACKAGES[@]}"
    fi
    download "$tmp" "${OPTIONAL_PACKAGES[@]}" ||
        log "optional ${OPTIONAL_PACKAGES[*]} not available; PYXS_PATH stays empty"

    rm -rf "$ROOT"
    mkdir -p "$ROOT" "$CACHE/debs"
    local deb
    for deb in "$tmp"/*.deb; do
        dpkg -x "$deb" "$ROOT"
        mv -f "$deb" "$CACHE/debs/"
    done
    rm -rf "$tmp"
}

# The debs list their Xen siblings; anything else must come from the base system.
check_libraries() {
    local bin missing=""
    for bin in "$ROOT/usr/lib/xen-4.17/bin/xenstored" \
               "$ROOT/usr/lib/xen-4.17/bin/test-xenstore" \
               "$ROOT/usr/bin/xenstore"; do
        missing+=$(LD_LIBRARY_PATH=$ROOT/usr/lib/x86_64-linux-gnu ldd "$bin" |
                   grep 'not found' || true)
    done
    if [ -n "$missing" ]; then
        log "libraries missing from this system:"$'\n'"$missing"
        exit 1
    fi
}

build_shim() {
    log "building $SHIM"
    # gnu11: Xen's public headers use anonymous unions.  The symbols carry no
    # version, so they interpose xenstored's versioned imports (VERS_1.0...).
    gcc -std=gnu11 -O2 -g -Wall -Wextra -fPIC -shared -fvisibility=hidden \
        -I"$ROOT/usr/include" -o "$SHIM.tmp.$$" "$SHIM_SRC"
    # A new inode: a running xenstored keeps the library it loaded.
    mv -f "$SHIM.tmp.$$" "$SHIM"
}

if ! [ -e "$CACHE/.complete" ]; then
    fetch_and_extract
    check_libraries
fi
build_shim
touch "$CACHE/.complete"
print_keys
