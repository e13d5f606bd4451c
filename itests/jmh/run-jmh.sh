#!/usr/bin/env bash
# The JMH micro benchmarks (issue 12): wire codec, request id allocation, ring copy, watch dispatch. Builds
# target/benchmarks.jar if it is missing, runs every benchmark (or those matching the arguments, JMH regexes)
# with settings modest enough for a shared 2-core machine (about 5 minutes for all), writes JMH's JSON and
# prints JMH's table, then the same as a Markdown table for docs/benchmarks.md with the machine and load.
#
#   itests/jmh/run-jmh.sh                      # all of them
#   itests/jmh/run-jmh.sh RingCopy             # some of them
#   JMH_OPTS='-f 3 -wi 5 -i 10' itests/jmh/run-jmh.sh   # longer, for a quiet machine
#
# Results: itests/jmh/target/jmh-result.json (RESULT=... to change). Not part of the build: `mvn verify`
# compiles and packages the benchmarks but runs none.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd -P)
repo=$(cd "$here/../.." && pwd -P)
jar=$here/target/benchmarks.jar
result=${RESULT:-$here/target/jmh-result.json}
opts=(${JMH_OPTS:--f 1 -wi 3 -w 1s -i 5 -r 1s})

if [ ! -f "$jar" ]; then
    (cd "$repo" && mvn -B -o -q package -pl itests/jmh -am -DskipTests)
fi
mkdir -p "$(dirname "$result")"
java -jar "$jar" "${opts[@]}" -rf json -rff "$result" "$@"

load=$(cut -d' ' -f1-3 /proc/loadavg)
echo
echo "Markdown (load average after the run: $load; $(nproc) cores; $(java -version 2>&1 | head -1)):"
echo "JMH options: ${opts[*]}"
echo
python3 - "$result" <<'EOF'
import json, sys

# Per result: the benchmark, its parameters, score ± error and units, and what the score means per byte or
# per event where that reads better (ring: bytes through per second; watch: microseconds per event).
def fmt(x):
    x = float(x)  # JMH writes the error as "NaN" after a single iteration
    return "n/a" if x != x else "%.0f" % x if abs(x) >= 100 else "%.1f" % x if abs(x) >= 10 else "%.2f" % x


print("| benchmark | parameters | score ± error | units | derived |")
print("|---|---|---|---|---|")
for r in json.load(open(sys.argv[1])):
    name = r["benchmark"].rsplit(".", 2)
    params = r.get("params", {})
    m = r["primaryMetric"]
    score, error, unit = m["score"], m["scoreError"], m["scoreUnit"]
    derived = ""
    if name[-2] == "RingCopyBenchmark" and unit == "ns/op":
        derived = "%.0f MB/s" % (int(params["bytes"]) * 1e3 / score)
    elif name[-2] == "WatchDispatchBenchmark" and unit == "ops/s":
        derived = "%.2f µs/event" % (1e6 / score)
    print("| %s.%s | %s | %s ± %s | %s | %s |" % (name[-2], name[-1],
          ", ".join("%s=%s" % kv for kv in params.items()), fmt(score), fmt(error), unit, derived))
EOF
