"""Writes docs/benchmarks.md and docs/benchmarks/*.png from run-benchmarks.sh's results.

benchmarks.py RESULTS.tsv LOAD.txt RUNS REQUESTS DOCS_DIR FELIX.tsv WARMUP
RESULTS.tsv: label, run, req/s, p50_us, p99_us, cpu_us_per_op, events/s, dispatch_cpu_us_per_event (one line per
case and run; test-xenstore's lines carry its average latency in the p50 column and no rate; only the watch cases
have the last two).
FELIX.tsv: felix_start.py's lines: label, run, seconds to the store up, seconds to the shell's first answer, used
heap MiB after a full GC, committed heap MiB, resident MiB.
WARMUP: jxenbus's warm-up operations per case.
"""
import os
import platform
import statistics
import subprocess
import sys
from collections import defaultdict

results_path, load_path, runs, requests, docs, felix_path, warmup = sys.argv[1:8]
here = os.path.dirname(os.path.abspath(__file__))

values = defaultdict(lambda: defaultdict(list))  # label -> column -> [values over runs]
for line in open(results_path):
    label, _run, rate, p50, p99, cpu, events, dispatch = (line.rstrip("\n").split("\t") + [""] * 8)[:8]
    for column, v in (("rate", rate), ("p50", p50), ("p99", p99), ("cpu", cpu), ("events", events),
                      ("dispatch", dispatch)):
        if v and float(v) >= 0:
            values[label][column].append(float(v))
if os.path.exists(felix_path):
    for line in open(felix_path):
        label, _run, *columns = line.rstrip("\n").split("\t")
        for column, v in zip(("ready", "answered", "heap", "committed", "rss"), columns):
            if float(v) >= 0:
                values[label][column].append(float(v))


def med(label, column="rate"):
    v = values.get(label, {}).get(column)
    return statistics.median(v) if v else None


def spread(label, column="rate", fmt=None):
    v = values.get(label, {}).get(column)
    if not v:
        return "not measured"
    fmt = fmt or ("%.0f" if column in ("rate", "events") else "%.1f")
    return (fmt + " (" + fmt + "–" + fmt + ")") % (statistics.median(v), min(v), max(v))


def ratio(a, b):
    return a / b if a is not None and b else None


def fmt_ratio(r):
    return "—" if r is None else "%.2f×" % r


def verdict(r, goal, below_is_good=False):
    if r is None or goal is None:
        return "not measured"
    met = r <= goal if below_is_good else r >= goal
    if met:
        return "met"
    return "missed by %.0f%%" % (abs(r - goal) / goal * 100)


DESCRIPTIONS = {
    "jx16": "jxenbus, 16 threads, one connection", "jx16m1": "jxenbus, 16 threads, maxInFlight=1",
    "c16": "C raw client, K=16 in flight", "c1": "C raw client, K=1 (serialized limit)",
    "lib16shared": "libxenstore, 16 threads, one handle", "lib16own": "libxenstore, 16 threads, a handle each",
    "jxa16": "jxenbus, 1 thread, 16 outstanding (async API)",
    "jx1": "jxenbus, 1 thread", "lib1": "libxenstore, 1 thread", "pyxs1": "python3-pyxs, 1 thread",
}
SERVERS = {"sock": "C xenstored, unix socket", "ring": "C xenstored, dom0's ring (fake hypervisor)",
           "sim": "xenstored-sim, unix socket"}

out = []
w = out.append
cpu_model = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
loads = [l.split("load average:")[1].strip() for l in open(load_path) if "load average" in l]
w("# Benchmarks")
w("")
w("Tables and charts written by `itests/bench/run-benchmarks.sh` (issue 12): run it again rather than edit them;")
w("the findings at the end are written by hand after a run. Every figure is")
w("the median of %s runs with min–max; the cases run round-robin, so a load change touches all of them." % runs)
w("Servers: the real C xenstored 4.17 on the fake hypervisor (socket and dom0's ring), xenstored-sim on its")
w("socket. Operations are 16-byte values on the client's own node unless stated; %s measured operations per" % requests)
w("case (a quarter as many for pyxs, transactions, the value-size and the watch cases). jxenbus warms up with %s"
  % warmup)
w("operations first (a quarter as many transactions, half as many in the value-size cases, as many writes as measured")
w("in the watch cases), the C clients")
w("with a fifth of their measured count. A transaction (start, read, write, commit) counts as one operation.")
w("jxenbus runs with the client compiler only (`-XX:TieredStopAtLevel=1`), as `bin/jxenbus`'s runtime does.")
w("")
w("## Machine")
w("")
w("| | |")
w("|---|---|")
w("| CPU | %s, %d cores online (`nproc`) |" % (cpu_model, os.cpu_count()))
w("| OS | %s %s |" % (platform.system(), platform.release()))
w("| Java | %s |" % java)
commit = os.environ.get("JXB_COMMIT", "unknown")
w("| git HEAD when the run began | %s (the distribution as built from the tree before the run) |"
  % (commit[:110] + ("…" if len(commit) > 110 else "")))
w("| load average (1, 5, 15 min) after each run | %s |" % "; ".join(loads))
w("")
w("Other work may share the machine while measuring (the load averages above tell): absolute numbers are noisy;")
w("the ratios within one run are what the goals compare. Client and server share the %d cores." % os.cpu_count())
w("")

w("## Against the goals")
w("")
w("| figure | measured | goal | verdict |")
w("|---|---|---|---|")
for server in ("sock", "ring"):
    for op in ("read", "write"):
        r = ratio(med("%s.%s.jx16" % (server, op)), med("%s.%s.c16" % (server, op)))
        w("| jxenbus 16 threads / C client K=16, %s, %s | %s | ≥0.90× | %s |"
          % (SERVERS[server], op, fmt_ratio(r), verdict(r, 0.9)))
for server in ("sock", "ring"):
    for op in ("read", "write"):
        r = ratio(med("%s.%s.jxa16" % (server, op)), med("%s.%s.c16" % (server, op)))
        w("| jxenbus 1 thread with 16 outstanding (async API) / C client K=16, %s, %s | %s | report (the library's "
          "own cost, no thread per call) | — |" % (SERVERS[server], op, fmt_ratio(r)))
for server in ("sock", "ring"):
    for op in ("read", "write"):
        jg = ratio(med("%s.%s.jx16" % (server, op)), med("%s.%s.jx16m1" % (server, op)))
        cg = ratio(med("%s.%s.c16" % (server, op)), med("%s.%s.c1" % (server, op)))
        r = ratio(jg, cg)
        w("| jxenbus gain from multiplexing (16 threads: default window / maxInFlight=1) vs C gain K=16/K=1, %s, %s "
          "| %s vs %s: %s of it | ≥0.90 of the C gain | %s |"
          % (SERVERS[server], op, fmt_ratio(jg), fmt_ratio(cg), fmt_ratio(r), verdict(r, 0.9)))
for op in ("read", "write"):
    r = ratio(med("sock.%s.jx16" % op), med("sock.%s.lib16shared" % op))
    cg = ratio(med("sock.%s.c16" % op), med("sock.%s.c1" % op))
    goal = cg * 0.9 if cg else None
    w("| jxenbus 16 threads / libxenstore 16 threads one handle, socket, %s | %s | report; expected ≥ C gain × 0.9 = %s | %s |"
      % (op, fmt_ratio(r), fmt_ratio(goal), verdict(r, goal)))
for op in ("read", "write"):
    rate = med("sock.%s.jx1" % op)
    jx_us = 1e6 / rate if rate else None
    tx_us = med("test-xenstore.%s" % op, "p50")
    r = ratio(jx_us, tx_us)
    w("| jxenbus 1 thread per-op latency (mean, 1/rate) / test-xenstore `%s 1` average, socket | %s µs / %s µs = %s "
      "(jxenbus p50 %s µs) | ≤1.10× | %s |"
      % (op, "%.1f" % jx_us if jx_us else "—", "%.1f" % tx_us if tx_us else "—", fmt_ratio(r),
         "%.1f" % med("sock.%s.jx1" % op, "p50") if med("sock.%s.jx1" % op, "p50") else "—", verdict(r, 1.1, True)))
for op in ("read", "write"):
    a = ratio(med("sim.%s.jx16" % op), med("sock.%s.jx16" % op))
    b = ratio(med("sim.%s.c16" % op), med("sock.%s.c16" % op))
    c = ratio(med("sim.%s.c1" % op), med("sock.%s.c1" % op))
    w("| the simulator / the C xenstored as server, socket, %s: jxenbus 16 threads; C K=16; C K=1 | %s; %s; %s | report | — |"
      % (op, fmt_ratio(a), fmt_ratio(b), fmt_ratio(c)))
WATCH_SERVERS = {"sock": "C xenstored, unix socket", "sim": "xenstored-sim, unix socket"}
for server in WATCH_SERVERS:
    for wn in ("10", "10000"):
        ev = med("%s.watch.w%s" % (server, wn), "events")
        w("| watch events delivered per second, %s watches (10 on the written nodes), 16 writer threads, %s | %s "
          "events/s | ≥50k/s | %s |" % ("{:,}".format(int(wn)), WATCH_SERVERS[server],
                                       spread("%s.watch.w%s" % (server, wn), "events"), verdict(ev, 50000)))
    few, many = med("%s.watch.w10" % server, "dispatch"), med("%s.watch.w10000" % server, "dispatch")
    r = ratio(many, few)
    w("| dispatch CPU per event (the watcher's I/O thread), 10,000 / 10 watches, %s | %s / %s µs = %s | flat "
      "(≤1.20×) | %s |" % (WATCH_SERVERS[server], "%.2f" % many if many else "—", "%.2f" % few if few else "—",
                         fmt_ratio(r), "flat" if r is not None and r <= 1.2 else verdict(r, 1.2, True)))
FELIX = {"felix.sim": "configured store sim:default (no discovery)",
         "felix.socket": "store discovered: the C xenstored's socket ($XENSTORED_PATH)",
         "felix.discover": "no store on the machine: discovery, then the simulator once every transport bundle answered"}
for label, what in FELIX.items():
    w("| Felix runtime start → XenstoreService up (the core's log line), %s | %s s (shell's first answer %s s) "
      "| ≤1.5 s | %s |" % (what, spread(label, "ready", "%.2f"), spread(label, "answered", "%.2f"),
                          verdict(med(label, "ready"), 1.5, True)))
for label, what in FELIX.items():
    w("| Felix runtime heap after start, used after a full GC, %s | %s MiB (committed %s MiB, resident %s MiB) "
      "| ≤64 MiB | %s |" % (what, spread(label, "heap"), spread(label, "committed", "%.0f"), spread(label, "rss", "%.0f"),
                            verdict(med(label, "heap"), 64, True)))
w("| scaling with threads 1..64 and value size 1..4000 B | the charts below | a chart each | done |")
w("")

w("## Every case")
w("")
w("Client CPU is the client process's user and system time over the measured interval, all its threads, per")
w("operation: what a request costs the client apart from waiting (coarse: the OS counts in 10 ms ticks).")
w("")
w("| server | op | client | req/s | p50 µs | p99 µs | client CPU µs/op |")
w("|---|---|---|---|---|---|---|")
for label in values:
    parts = label.split(".")
    if parts[0] in SERVERS and parts[1] != "watch":
        w("| %s | %s | %s | %s | %s | %s | %s |" % (SERVERS[parts[0]], parts[1], DESCRIPTIONS.get(parts[2], parts[2]),
                                                 spread(label), spread(label, "p50"), spread(label, "p99"),
                                                 spread(label, "cpu")))
for op in ("read", "write"):
    w("| C xenstored, unix socket | %s | Xen's test-xenstore (average per op) | — | %s | — | — |"
      % (op, spread("test-xenstore." + op, "p50")))
w("")


w("## Watch events")
w("")
w("`xenstore-bench --op watch --threads 16 --watches W --fanout 10`: one connection holds W raw watches, 10 of them on")
w("the written nodes (so each write fires 10 events) and W−10 on paths nothing writes; 16 threads on a second")
w("connection write the watched nodes (each cycling through 1024 children, since xenstored drops an event identical")
w("to one still unsent) and wait while more than 512 events are written but not delivered. Events per second count")
w("the events delivered to the listener between two fence writes; dispatch CPU is the CPU time of the watcher's I/O")
w("thread (which reads, decodes, routes by token and calls the listener) per event; writes/s and the write latency")
w("are the writers'.")
w("")
w("| server | watches | events/s | dispatch CPU µs/event | writes/s | write p50 µs | write p99 µs | client CPU µs/write |")
w("|---|---|---|---|---|---|---|---|")
for server in WATCH_SERVERS:
    for wn in ("10", "10000"):
        label = "%s.watch.w%s" % (server, wn)
        w("| %s | %s | %s | %s | %s | %s | %s | %s |" % (WATCH_SERVERS[server], "{:,}".format(int(wn)),
                                                      spread(label, "events"), spread(label, "dispatch", "%.2f"),
                                                      spread(label), spread(label, "p50"), spread(label, "p99"),
                                                      spread(label, "cpu")))
w("")
w("## Felix runtime start")
w("")
w("`itests/bench/felix_start.py`: `bin/jxenbus` started from a fresh bundle cache with the Gogo console on a pipe;")
w("seconds from starting the process (the JVM's start included) to the core's log line that the store is up (it")
w("registers XenstoreService right after) and to the first answer of `xs:ls /` (probed every 10 ms; the shell's")
w("commands register after the service); then `jcmd PID GC.run` and `GC.heap_info` for the heap, `/proc` for the")
w("resident set; default JVM options (the script's), so the heap is what the collector chose to commit.")
w("")
w("| store | to store up, s | to xs:ls answered, s | heap used after GC, MiB | heap committed, MiB | resident, MiB |")
w("|---|---|---|---|---|---|")
for label, what in FELIX.items():
    w("| %s | %s | %s | %s | %s | %s |" % (what, spread(label, "ready", "%.2f"), spread(label, "answered", "%.2f"),
                                          spread(label, "heap"), spread(label, "committed", "%.0f"),
                                          spread(label, "rss", "%.0f")))
w("")


def chart(name, title, xlabel, ylabel, xs, series, scale="linear"):
    """series: list of (name, function x -> value or None); scale: linear or log (y)."""
    os.makedirs(os.path.join(docs, "benchmarks"), exist_ok=True)
    rows = ["\t".join([xlabel] + [s for s, _ in series])]
    for x in xs:
        rows.append("\t".join([str(x)] + ["" if f(x) is None else "%.1f" % f(x) for _, f in series]))
    subprocess.run(["java", "-Djava.awt.headless=true", os.path.join(here, "LineChart.java"),
                    os.path.join(docs, "benchmarks", name), title, xlabel, ylabel, scale],
                   input="\n".join(rows) + "\n", text=True, check=True)
    w("![%s](benchmarks/%s)" % (title, name))
    w("")
    w("| " + " | ".join(rows[0].split("\t")) + " |")
    w("|" + "---|" * len(series + [None]))
    for r in rows[1:]:
        w("| " + " | ".join(c or "—" for c in r.split("\t")) + " |")
    w("")


def at(prefix, column="rate", sixteen=None):
    def f(x):
        if sixteen and x == 16:
            return med(sixteen, column)
        return med("%s.%s" % (prefix, x), column)
    return f


threads = [1, 2, 4, 8, 16, 32, 64]
w("## Scaling with threads (reads, C xenstored, socket)")
w("")
w("jxenbus: N threads on one connection (default window). C raw client: K=N requests in flight from one thread.")
w("libxenstore: N threads, a handle (connection) each.")
w("")
chart("threads.png", "Reads vs threads, C xenstored socket", "threads", "req/s", threads, [
    ("jxenbus N threads", at("threads.read.jx", sixteen="sock.read.jx16")),
    ("C raw K=N", at("threads.read.c", sixteen="sock.read.c16")),
    ("libxenstore N handles", at("threads.read.libown", sixteen="sock.read.lib16own"))])
chart("threads-latency.png", "Read latency vs threads, C xenstored socket", "threads", "microseconds", threads, [
    ("jxenbus p50", at("threads.read.jx", "p50", "sock.read.jx16")),
    ("jxenbus p99", at("threads.read.jx", "p99", "sock.read.jx16")),
    ("C raw p50", at("threads.read.c", "p50", "sock.read.c16")),
    ("C raw p99", at("threads.read.c", "p99", "sock.read.c16"))], "log")
sizes = [1, 16, 256, 1024, 4000]
w("## Scaling with value size (writes, C xenstored, socket)")
w("")
chart("size.png", "Writes vs value size, C xenstored socket", "bytes", "req/s", sizes, [
    ("jxenbus 16 threads", at("size.write.jx", sixteen="sock.write.jx16")),
    ("C raw K=16", at("size.write.c", sixteen="sock.write.c16")),
    ("jxenbus 1 thread", at("size.write.jx1", sixteen="sock.write.jx1")),
    ("C raw K=1", at("size.write.c1", sixteen="sock.write.c1"))])

w("## How to read this")
w("")
w("- The C raw client (`itests/bench/c/xs_pipeline.c`) is one thread writing requests back to back and matching")
w("  replies by req_id: what the server can do for one connection, with no client cost to speak of. Its K=1 run")
w("  is the serialized limit; K=16 over K=1 is the most any pipelining client can gain on that transport.")
w("- jxenbus, 1 thread, 16 outstanding (`xenstore-bench --threads 1 --async 16`) keeps 16 operations in flight")
w("  through the asynchronous API from one thread, as the C raw client does: what the library costs without a")
w("  blocked thread per call (each blocking call parks its thread and the I/O thread wakes it).")
w("- libxenstore (`itests/bench/c/xs_threads.c`) serializes the threads sharing a handle (one request on the")
w("  wire at a time); with a handle per thread each thread has its own connection.")
w("- On the ring a message of more than 1 KiB needs several passes through the 1 KiB ring, each with a kick")
w("  through the fake hypervisor's FIFO.")
with open(os.path.join(docs, "benchmarks.md"), "w") as f:
    f.write("\n".join(out) + "\n")
