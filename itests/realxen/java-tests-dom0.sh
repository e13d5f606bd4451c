#!/bin/bash
# Runs the jxenbus dom0 suite inside the QEMU dom0 (through run-in-dom0.sh): one JVM, the JUnit console
# launcher, XML reports into $REALXEN_RESULTS/reports for the host to collect.
#
# Usage: java-tests-dom0.sh LAUNCHER_JAR CLASSPATH_FILE TEST_CLASSES_DIR [JXENBUS_ROOT]
#
# With REALXEN_XENSTORED_SOCKET set (smoke-dom0.sh sets it for the command it runs), the suite uses the
# daemon already serving dom0 there instead of starting xenstored; with REALXEN_GRANT_REQUESTS too (the
# simulator's --grant-requests folder), the client suite also runs over a ring it offers (ring:gntalloc).  REALXEN_DOM0_TESTS, a space-separated
# list of simple class names, runs only those classes of the suite.  REALXEN_DOMU_KERNEL and REALXEN_DOMU_INITRD
# (domu-initrd.sh's output on the host) are the PV guest that GuestDomainInDom0Test starts with xl.
set -u
launcher=$1
classpath_file=$2
test_classes=$3
root=${4:-/work/main}
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
select=(--select-package org.jxenbus.itests.realxen.dom0)
if [ -n "${REALXEN_DOM0_TESTS:-}" ]; then
    select=()
    for class in $REALXEN_DOM0_TESTS; do select+=(--select-class "org.jxenbus.itests.realxen.dom0.$class"); done
fi
mkdir -p "$REALXEN_RESULTS/reports"
exec "$java" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djxenbus.root="$root" -Djna.tmpdir=/tmp \
    -Drealxen.domu.kernel="${REALXEN_DOMU_KERNEL:-}" -Drealxen.domu.initrd="${REALXEN_DOMU_INITRD:-}" \
    -Drealxen.xenstored.socket="${REALXEN_XENSTORED_SOCKET:-}" -Drealxen.grantRequests="${REALXEN_GRANT_REQUESTS:-}" \
    -jar "$launcher" execute \
    --class-path "$test_classes:$(cat "$classpath_file")" \
    "${select[@]}" --include-tag dom0 \
    --reports-dir "$REALXEN_RESULTS/reports" --details=testfeed --config=junit.jupiter.execution.timeout.default="300 s" \
    --config=junit.jupiter.testclass.order.default='org.junit.jupiter.api.ClassOrderer$OrderAnnotation' --disable-banner --disable-ansi-colors
