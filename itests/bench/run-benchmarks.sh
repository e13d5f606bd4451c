#!/bin/sh
# The benchmarks of issue 12, in one run: provisions the test bed (itests/fakexen/provision.sh), builds the C
# baselines with gcc, starts the real C xenstored on the fake hypervisor and the Java simulator, runs every
# case RUNS times round-robin (so load drifting over the run touches all cases alike), stops both servers by
# pid and writes docs/benchmarks.md with its charts (docs/benchmarks/*.png). Each round also starts the Felix
# runtime (bin/jxenbus) once per store and measures its start and heap (felix_start.py).
#
#   itests/bench/run-benchmarks.sh            # RUNS=5 REQUESTS=20000 by default; smaller for a quick look
#
# jxenbus warms up with max(REQUESTS/5, WARMUP) operations (WARMUP=20000 by default; a quarter of that for
# transactions, of four requests each, half for the value-size cases, to keep the run near 25 minutes)
# before it measures: fewer leave the JIT compiling during the measured
# interval. The C clients warm up with REQUESTS/5.
#
# Needs the distribution built (distribution/target/jxenbus/bin/xenstore-bench), gcc, python3 and java.
# Not part of `mvn verify` (the distribution's XenstoreBenchIT only checks xenstore-bench's report format).
set -eu

repo=$(cd "$(dirname "$0")/../.." && pwd -P)
bench=$repo/itests/bench
dist=$repo/distribution/target/jxenbus
RUNS=${RUNS:-5}
REQUESTS=${REQUESTS:-20000}
WARMUP=${WARMUP:-20000}
DOCS=${DOCS:-$repo/docs} # where benchmarks.md and benchmarks/ go

if [ ! -x "$dist/bin/xenstore-bench" ]; then
    echo "run-benchmarks: $dist/bin/xenstore-bench is missing; build it: mvn -B -o package -pl distribution -am -DskipTests" >&2
    exit 1
fi
eval "$("$repo/itests/fakexen/provision.sh")"
# What was committed when the run began (the distribution is whatever was built from the tree before it).
JXB_COMMIT=$(git -C "$repo" log -1 --format='%h %cd %s' --date='format:%Y-%m-%d %H:%M' 2>/dev/null || echo unknown)
export JXB_COMMIT
work=$(mktemp -d /tmp/jxb-bench.XXXXXX) # short: D/socket must fit in sun_path

gcc -O2 -Wall -I"$LIBDIR/../../include" -o "$work/xs_pipeline" "$bench/c/xs_pipeline.c"
gcc -O2 -Wall -I"$LIBDIR/../../include" -o "$work/xs_threads" "$bench/c/xs_threads.c" \
    -L"$LIBDIR" -Wl,-rpath-link,"$LIBDIR" -lxenstore -lpthread

sim_pid=
stop_servers() {
    if [ -n "$sim_pid" ]; then
        kill "$sim_pid" 2>/dev/null || true
        wait "$sim_pid" 2>/dev/null || true
    fi
    "$repo/itests/fakexen/xenstored-down.sh" "$work/c" >/dev/null 2>&1 || true
}
trap stop_servers EXIT
trap 'exit 130' INT TERM

"$repo/itests/fakexen/xenstored-up.sh" "$work/c" >/dev/null
mkdir "$work/sim"
"$dist/bin/xenstored-sim" --socket "$work/sim/socket" >"$work/sim/log" 2>&1 &
sim_pid=$!
for _ in $(seq 100); do grep -q "ready" "$work/sim/log" 2>/dev/null && break; sleep 0.1; done
grep -q "ready" "$work/sim/log" || { echo "run-benchmarks: xenstored-sim did not start" >&2; cat "$work/sim/log" >&2; exit 1; }

c_sock=$work/c/socket
sim_sock=$work/sim/socket
ring="ring:fake:$work/c?domid=0"
n=$REQUESTS
small=$((REQUESTS / 4)) # for the slow clients, the large values and the watch cases
warm=$((REQUESTS / 5 > WARMUP ? REQUESTS / 5 : WARMUP)) # jxenbus's warm-up operations
jx="$dist/bin/xenstore-bench --warmup $warm"

# One case a line: label (what benchmarks.py groups on), then the command.
cases=$work/cases
{
    for op in read write; do
        echo "sock.$op.jx16 $jx --connect unix:$c_sock --threads 16 --op $op --requests $n"
        echo "sock.$op.jx16m1 $jx --connect unix:$c_sock --threads 16 --op $op --requests $n --max-in-flight 1"
        echo "sock.$op.jxa16 $jx --connect unix:$c_sock --threads 1 --async 16 --op $op --requests $n"
        echo "sock.$op.c16 $work/xs_pipeline --socket $c_sock --op $op --requests $n --in-flight 16"
        echo "sock.$op.c1 $work/xs_pipeline --socket $c_sock --op $op --requests $n --in-flight 1"
        echo "sock.$op.lib16shared $work/xs_threads --threads 16 --handles shared --op $op --requests $n"
        echo "sock.$op.lib16own $work/xs_threads --threads 16 --handles per-thread --op $op --requests $n"
        echo "sock.$op.jx1 $jx --connect unix:$c_sock --threads 1 --op $op --requests $n"
        echo "sock.$op.lib1 $work/xs_threads --threads 1 --op $op --requests $n"
        echo "sock.$op.pyxs1 python3 $bench/pyxs_bench.py $c_sock $op 16 $small"
        echo "ring.$op.jx16 $jx --connect $ring --threads 16 --op $op --requests $n"
        echo "ring.$op.jx16m1 $jx --connect $ring --threads 16 --op $op --requests $n --max-in-flight 1"
        echo "ring.$op.jxa16 $jx --connect $ring --threads 1 --async 16 --op $op --requests $n"
        echo "ring.$op.c16 $work/xs_pipeline --ring $work/c --op $op --requests $n --in-flight 16"
        echo "ring.$op.c1 $work/xs_pipeline --ring $work/c --op $op --requests $n --in-flight 1"
        echo "sim.$op.jx16 $jx --connect unix:$sim_sock --threads 16 --op $op --requests $n"
        echo "sim.$op.c16 $work/xs_pipeline --socket $sim_sock --op $op --requests $n --in-flight 16"
        echo "sim.$op.c1 $work/xs_pipeline --socket $sim_sock --op $op --requests $n --in-flight 1"
    done
    echo "sock.txn.jx16 $dist/bin/xenstore-bench --connect unix:$c_sock --threads 16 --op txn --requests $small --warmup $((warm / 4))"
    echo "sock.txn.jx16m1 $dist/bin/xenstore-bench --connect unix:$c_sock --threads 16 --op txn --requests $small --warmup $((warm / 4)) --max-in-flight 1"
    # Watch events: 16 writer threads, 10 watches on the written nodes (10 events a write), the others on
    # paths nothing writes; warm-up of as many writes as measured (10 events each).
    for server in sock sim; do
        sock=$c_sock; [ "$server" = sim ] && sock=$sim_sock
        for w in 10 10000; do
            echo "$server.watch.w$w $dist/bin/xenstore-bench --connect unix:$sock --threads 16 --op watch --watches $w --fanout 10 --requests $small --warmup $small"
        done
    done
    for t in 1 2 4 8 32 64; do
        echo "threads.read.jx.$t $jx --connect unix:$c_sock --threads $t --op read --requests $n"
        echo "threads.read.c.$t $work/xs_pipeline --socket $c_sock --op read --requests $n --in-flight $t"
        echo "threads.read.libown.$t $work/xs_threads --threads $t --handles per-thread --op read --requests $n"
    done
    for s in 1 256 1024 4000; do
        echo "size.write.jx.$s $dist/bin/xenstore-bench --connect unix:$c_sock --threads 16 --op write --size $s --requests $small --warmup $((warm / 2))"
        echo "size.write.c.$s $work/xs_pipeline --socket $c_sock --op write --size $s --requests $small --in-flight 16"
        echo "size.write.jx1.$s $dist/bin/xenstore-bench --connect unix:$c_sock --threads 1 --op write --size $s --requests $small --warmup $((warm / 2))"
        echo "size.write.c1.$s $work/xs_pipeline --socket $c_sock --op write --size $s --requests $small --in-flight 1"
    done
} >"$cases"

results=$work/results.tsv
: >"$results"
export LD_LIBRARY_PATH=$LIBDIR XENSTORED_PATH=$c_sock PYTHONPATH=$PYXS_PATH
total=$(wc -l <"$cases")
set -f # the commands hold URIs with "?": words, never patterns
for run in $(seq "$RUNS"); do
    i=0
    while read -r label command; do
        i=$((i + 1))
        printf '\rrun-benchmarks: run %s of %s, case %s of %s (%s)        ' "$run" "$RUNS" "$i" "$total" "$label" >&2
        if $command >"$work/out" 2>"$work/err" </dev/null; then
            awk -v label="$label" -v run="$run" -F= '
                /^p50_us=/ { p50 = $2 } /^p99_us=/ { p99 = $2 } /^req\/s=/ { rate = $2 } /^cpu_us_per_op=/ { cpu = $2 }
                /^events\/s=/ { events = $2 } / dispatch_cpu_us_per_event=/ { sub(/.*dispatch_cpu_us_per_event=/, ""); dispatch = $0 }
                END { printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", label, run, rate, p50, p99, cpu, events, dispatch }' "$work/out" >>"$results"
        else
            echo "run-benchmarks: $label failed: $(tail -2 "$work/err")" >&2
        fi
    done <"$cases"
    # Xen's test-xenstore: per-op average latency, socket, 2000 iterations each.
    for t in "read 1" "write 1"; do
        "$TEST_XENSTORE" -i 2000 -t "$t" </dev/null | awk -v run="$run" -v t="$t" '
            { sub(/.*avg: /, ""); sub(/ ns.*/, ""); split(t, w, " ");
              printf "test-xenstore.%s\t%s\t\t%.1f\t\t\n", w[1], run, $0 / 1000 }' >>"$results"
    done
    # The Felix runtime: start to store up and to the shell's first answer, heap after a full GC.
    printf '\rrun-benchmarks: run %s of %s, the Felix runtime, each store                    ' "$run" "$RUNS" >&2
    python3 "$bench/felix_start.py" "$dist" "$run" "$work/felix.tsv" sim discover "socket:$c_sock"
    uptime >>"$work/load"
done
echo >&2

python3 "$bench/benchmarks.py" "$results" "$work/load" "$RUNS" "$REQUESTS" "$DOCS" "$work/felix.tsv" "$warm"
echo "run-benchmarks: wrote $DOCS/benchmarks.md (raw results: $results)" >&2
