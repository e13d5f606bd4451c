#!/bin/bash
# Runs the jxenbus dom0 suite inside the QEMU dom0 (through run-in-dom0.sh): one JVM, the JUnit console
# launcher, XML reports into $REALXEN_RESULTS/reports for the host to collect.
#
# Usage: java-tests-dom0.sh LAUNCHER_JAR CLASSPATH_FILE TEST_CLASSES_DIR [JXENBUS_ROOT]
set -u
launcher=$1
classpath_file=$2
test_classes=$3
root=${4:-/work/main}
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
mkdir -p "$REALXEN_RESULTS/reports"
exec "$java" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djxenbus.root="$root" -Djna.tmpdir=/tmp \
    -jar "$launcher" execute \
    --class-path "$test_classes:$(cat "$classpath_file")" \
    --select-package org.jxenbus.itests.realxen.dom0 --include-tag dom0 \
    --reports-dir "$REALXEN_RESULTS/reports" --details=testfeed --config=junit.jupiter.execution.timeout.default="300 s" --disable-banner --disable-ansi-colors
