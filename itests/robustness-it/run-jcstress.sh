#!/usr/bin/env bash
# jcstress 0.16 over the request id allocator and the ring's index protocol (issue 13). jcstress has no
# Maven plugin: the build compiles the tests (src/test/java, *Stress classes; jcstress's annotation
# processor generates their harnesses and META-INF/TestList), and this script runs jcstress's Main on the
# test class path. Not part of the build: a run takes minutes and wants every core.
#
#   itests/robustness-it/run-jcstress.sh [jcstress options]   e.g. -m quick (default), -m default, -m tough
#   JCSTRESS_TESTS=RequestIdAllocator itests/robustness-it/run-jcstress.sh    (a regex of test names)
#
# Results: target/jcstress-results/index.html and the console summary; exits non-zero on a FORBIDDEN
# outcome (or an error).
set -euo pipefail
cd "$(dirname "$0")"
mvn -B -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/jcstress.classpath \
    -Dmdep.includeScope=test >/dev/null
mode=(-m quick)
if [ "$#" -gt 0 ]; then
    mode=("$@")
fi
cd target # jcstress leaves its raw results (jcstress-results-*.bin.gz) in the working directory
mkdir -p jcstress-results
exec java -cp "test-classes:$(cat jcstress.classpath)" org.openjdk.jcstress.Main \
    -t "${JCSTRESS_TESTS:-org\.jxenbus\..*Stress.*}" -r jcstress-results "${mode[@]}"
