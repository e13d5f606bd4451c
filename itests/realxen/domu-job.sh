#!/bin/sh
# /job/run in the PV domU's initramfs (domu-initrd.sh copies it in; domu-init.sh runs it under a timeout):
# the domU checks in one JVM of the initramfs's own runtime, their reports on the console and in xenstore.
echo "domu-job: starting java after $(cut -d' ' -f1 /proc/uptime) s"
exec /jre/bin/java -XX:+UseSerialGC -XX:-UsePerfData -XX:TieredStopAtLevel=1 -Xshare:auto -Xmx128m -Djna.tmpdir=/tmp \
    -cp "$(cat /job/classpath)" org.jxenbus.itests.realxen.domu.GuestChecks
