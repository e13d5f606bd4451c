#!/bin/bash
# Readies dom0's toolstack for xl, once xenstored serves dom0 (the lane has no xencommons): /dev/pts for
# xenconsoled, the folders libxl writes, /etc/xen from xen-utils-common (the chroot is an overlay, so this
# stays in dom0's RAM), and xen-init-dom0, which writes dom0's own nodes (name, domid, its /vm entry).
#
# Usage: domu-toolstack.sh
# Prints, for the caller to run the programs itself (it owns their pids):
#   XL=<xl>  XENCONSOLED=<xenconsoled>
#   ENV_LD_LIBRARY_PATH=<their libraries>  ENV_PATH=<PATH with xenstore-utils, for hotplug scripts>
# Every step runs under a timeout; a failure exits non-zero naming the step.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
declare -A lane=()
while IFS='=' read -r key value; do lane[$key]=$value; done <<<"$("$HERE/provision.sh")"
bin=$(dirname "${lane[XENSTORED]}")
libs=${lane[LIBDIR]}:${lane[TOOLSTACK]}/usr/lib/x86_64-linux-gnu

mkdir -p /dev/pts /var/lib/xen /run/xen /var/log/xen /etc/xen
if ! mountpoint -q /dev/pts; then timeout 10 mount -t devpts devpts /dev/pts; fi
cp -r "${lane[TOOLSTACK]}/etc/xen/." /etc/xen/
# xl save and restore run libxl-save-helper from the path libxl was built with.
[ -e /usr/lib/xen-4.17 ] || ln -s "$(dirname "$bin")" /usr/lib/xen-4.17
if ! LD_LIBRARY_PATH=$libs timeout 60 "$bin/xen-init-dom0" >&2; then
    echo "domu-toolstack: xen-init-dom0 failed" >&2
    exit 1
fi
echo "XL=$bin/xl"
echo "XENCONSOLED=$bin/xenconsoled"
echo "ENV_LD_LIBRARY_PATH=$libs"
echo "ENV_PATH=${lane[XENSTORE_BIN]}:$PATH"
