#!/bin/bash
# The Felix runtime's start, as shipped against the settings it had before, side by side in one run:
# felix_start.py's "sim" start (the configuration names sim:default) of bin/jxenbus, N rounds, the variants
# interleaved in each round; prints each variant's median seconds to the store (min-max), to the shell's first
# answer, heap after a full GC and resident set.
#
# Usage: felix-start-variants.sh [JXENBUS_HOME] [N]     (defaults: distribution/target/jxenbus, 5)
#
# Variants:
#   before      felix.fileinstall.poll=2000 and both JIT compilers (-XX:TieredStopAtLevel=4): the old settings
#   poll500     felix.fileinstall.poll=500, both compilers
#   shipped     felix.fileinstall.poll=500 and the client compiler only, as bin/jxenbus runs now
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
home=${1:-$here/../../distribution/target/jxenbus}
rounds=${2:-5}
[ -x "$home/bin/jxenbus" ] || { echo "felix-start-variants: no $home/bin/jxenbus (mvn package first)" >&2; exit 64; }
work=$(mktemp -d /tmp/jxb-felix-variants.XXXXXX)
trap 'rm -rf "$work"' EXIT
cp -a "$home" "$work/poll2000"
sed -i 's/^felix.fileinstall.poll=.*/felix.fileinstall.poll=2000/' "$work/poll2000/conf/config.properties"
grep -q '^felix.fileinstall.poll=500$' "$home/conf/config.properties" ||
    echo "felix-start-variants: note: $home does not poll every 500 ms" >&2

declare -A dist=([before]=$work/poll2000 [poll500]=$home [shipped]=$home)
declare -A opts=([before]=-XX:TieredStopAtLevel=4 [poll500]=-XX:TieredStopAtLevel=4 [shipped]=)
variants=(before poll500 shipped)
for round in $(seq 1 "$rounds"); do
    for v in "${variants[@]}"; do
        JXENBUS_JAVA_OPTS=${opts[$v]} python3 "$here/felix_start.py" "${dist[$v]}" "$round" "$work/$v.tsv" sim
    done
done
echo "Felix start to the store (sim:default), $rounds rounds, $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg):"
for v in "${variants[@]}"; do
    python3 - "$work/$v.tsv" "$v" <<'PY'
import statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
col = lambda i: [float(r[i]) for r in rows]
ready = col(2)
print("  %-8s n=%d  store up %.2f s (%.2f-%.2f)  shell answers %.2f s  heap %.1f MiB  resident %.0f MiB"
      % (sys.argv[2], len(rows), statistics.median(ready), min(ready), max(ready), statistics.median(col(3)),
         statistics.median(col(4)), statistics.median(col(6))))
PY
done
