#!/bin/sh
# /init of the PV domU's initramfs (busybox sh; domu-initrd.sh copies it in).
#
# The domU has no share with the host: everything it runs is in this
# initramfs.  It loads the network frontend, then runs /job/run (the domU
# suite, written by domu-initrd.sh) with its output on the console (hvc0,
# which xenconsoled in dom0 logs to a file) and powers off.  Every step has a
# timeout, and so has the job: a hang must end the domain, not the lane.
export PATH=/bin:/sbin

say() { echo "domu-init: $*"; }

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /tmp /dev/shm
mount -t tmpfs -o mode=1777 tmpfs /tmp
say "domU up after $(cut -d' ' -f1 /proc/uptime) s: $(uname -r), $(grep MemTotal /proc/meminfo)"

while read -r ko; do
    timeout 30 insmod "/modules/$ko" || say "insmod $ko failed"
done </modules/load-order
ip link set lo up 2>/dev/null
# The vif's interface: up, with a link-local address the guest agent can see.
for dev in /sys/class/net/eth*; do
    [ -e "$dev" ] || continue
    ip link set "${dev##*/}" up && ip addr add 169.254.0.2/16 dev "${dev##*/}"
done
timeout 5 sh -c 'while ! [ -e /dev/xen/xenbus ]; do sleep 0.1; done' || say "no /dev/xen/xenbus"

say "running the job after $(cut -d' ' -f1 /proc/uptime) s"
timeout "${DOMU_JOB_TIMEOUT:-1500}" /job/run
say "job exited $? after $(cut -d' ' -f1 /proc/uptime) s"
sync
poweroff -f
sleep 60
