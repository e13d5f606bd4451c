#!/bin/sh
# /job/run in the PV domU's initramfs (domu-initrd.sh copies it in; domu-init.sh runs it under a timeout):
# first a transport bundle hot-swapped under load in the domU's Felix (GuestHotSwap, in its own JVM with its
# own time limit), then the domU checks (GuestChecks). Both run on the initramfs's own runtime; their reports go
# to the console and into xenstore, where dom0 reads them.
JAVA="/jre/bin/java -XX:+UseSerialGC -XX:-UsePerfData -XX:TieredStopAtLevel=1 -Xshare:auto -Xmx128m -Djna.tmpdir=/tmp"
CP=$(cat /job/classpath)
echo "domu-job: starting Felix after $(cut -d' ' -f1 /proc/uptime) s"
timeout 300 $JAVA -cp "$CP" org.jxenbus.itests.realxen.domu.GuestHotSwap
echo "domu-job: GuestHotSwap exited $? after $(cut -d' ' -f1 /proc/uptime) s"
echo "domu-job: starting java after $(cut -d' ' -f1 /proc/uptime) s"
exec $JAVA -cp "$CP" org.jxenbus.itests.realxen.domu.GuestChecks
