#!/bin/sh
# /init of the dom0 initramfs (busybox sh; provision.sh copies it in).
#
# Loads the Xen and 9p drivers, mounts xenfs on /proc/xen, mounts the host's
# root (9p tag "host", read-only) and the results folder (tag "results",
# writable), builds a chroot of the host root in which /dev, /proc and /sys are
# dom0's own, then runs the job run-in-dom0.sh left in the results folder and
# powers the machine off.  Every step has a timeout: a step that hangs must end
# the boot, not the test run.
#
# Contract with run-in-dom0.sh, all in the results folder:
#   boot.conf      in:  RESULTS_PATH=<the folder's host path>  (sourced)
#   job.sh         in:  the bash script to run inside the chroot
#   init-failed    out: why /init gave up before the job (if it did)
#   script-started out: dom0 uptime when the job started
#   stdout stderr  out: the job's output
#   exit-code      out: the job's exit status, written when it ends
export PATH=/bin:/sbin

say() { echo "realxen-init: $*"; }

# Ends the boot.  Xen powers the machine off when dom0 does; QEMU then exits.
finish() {
    sync
    say "poweroff"
    poweroff -f
    sleep 60
}

fail() {
    say "FAILED: $*"
    if [ -d /results/.realxen ]; then echo "$*" >/results/init-failed; fi
    finish
}

# step SECONDS COMMAND...: runs a command under busybox timeout.
step() {
    secs=$1; shift
    timeout "$secs" "$@" || fail "$* (exit $?)"
}

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
say "dom0 up after $(cut -d' ' -f1 /proc/uptime) s: $(uname -r)"

while read -r ko; do
    step 30 insmod "/modules/$ko"
done </modules/load-order

step 10 mount -t xenfs xenfs /proc/xen
mkdir -p /dev/shm
step 10 mount -t tmpfs -o mode=1777 tmpfs /dev/shm

NINEP=trans=virtio,version=9p2000.L,msize=262144
# cache=loose: the host root is read-only here and taken as unchanging during
# a run; it halves the JVM's first start.  The results share stays uncached.
step 30 mount -t 9p -o "$NINEP,ro,cache=loose" host /host
step 30 mount -t 9p -o "$NINEP" results /results
[ -f /results/boot.conf ] || fail "no boot.conf in the results share"
. /results/boot.conf
[ -n "${RESULTS_PATH:-}" ] || fail "boot.conf sets no RESULTS_PATH"

# The chroot: the read-only host root under an overlay whose upper layer is
# RAM, so programs may write anywhere and nothing reaches the host except the
# results folder.  Without overlay, tmpfs goes where programs must write.
ROOT=/newroot
step 10 mount -t tmpfs -o mode=755 tmpfs /overlay
mkdir -p /overlay/upper /overlay/work
if timeout 30 mount -t overlay -o lowerdir=/host,upperdir=/overlay/upper,workdir=/overlay/work \
        overlay "$ROOT"; then
    say "chroot: host root under an overlay on tmpfs"
else
    say "overlay failed: host root read-only, tmpfs on /tmp /var/tmp /var/lib"
    ROOT=/host
    for dir in /tmp /var/tmp /var/lib; do
        step 10 mount -t tmpfs -o mode=1777 tmpfs "$ROOT$dir"
    done
fi
# Debian's /var/run is a symlink to /run; the host's runtime state means
# nothing in dom0 (xenstored puts its socket and pid file there).
step 10 mount -t tmpfs -o mode=755 tmpfs "$ROOT/run"
# --rbind: /proc/xen (xenfs) and /dev/shm are mounts of their own.
step 10 mount --rbind /dev "$ROOT/dev"
step 10 mount --rbind /proc "$ROOT/proc"
step 10 mount --rbind /sys "$ROOT/sys"
mkdir -p "$ROOT$RESULTS_PATH" || fail "cannot create $RESULTS_PATH in the chroot"
step 10 mount --bind /results "$ROOT$RESULTS_PATH"

cut -d' ' -f1 /proc/uptime >/results/script-started
say "running the job after $(cat /results/script-started) s"
chroot "$ROOT" /bin/bash "$RESULTS_PATH/job.sh" </dev/null >/results/stdout 2>/results/stderr
echo $? >/results/exit-code
say "job exited $(cat /results/exit-code) after $(cut -d' ' -f1 /proc/uptime) s"
finish
