"""python3-pyxs from one thread on xenstored's socket: pyxs_bench.py SOCKET [read|write] [SIZE] [REQUESTS].

Works on its own node /bench/pyxs-<pid>/v (removed after); prints xenstore-bench's report, the last line
req/s=<number>. PYTHONPATH must reach pyxs (itests/fakexen/provision.sh prints PYXS_PATH).
"""
import os
import sys
import time

from pyxs import Client

socket_path = sys.argv[1]
op = sys.argv[2] if len(sys.argv) > 2 else "read"
size = int(sys.argv[3]) if len(sys.argv) > 3 else 16
requests = int(sys.argv[4]) if len(sys.argv) > 4 else 10000
base = b"/bench/pyxs-%d" % os.getpid()
node = base + b"/v"
value = b"x" * size

with Client(unix_socket_path=socket_path) as c:
    c.write(node, value)
    once = (lambda: c.read(node)) if op == "read" else (lambda: c.write(node, value))
    for _ in range(requests // 5):
        once()
    latencies = []
    start, cpu_start = time.monotonic_ns(), time.process_time_ns()
    for _ in range(requests):
        t0 = time.monotonic_ns()
        once()
        latencies.append(time.monotonic_ns() - t0)
    elapsed, cpu = time.monotonic_ns() - start, time.process_time_ns() - cpu_start
    c.delete(base)

latencies.sort()
rank = lambda p: latencies[max(0, -(-len(latencies) * p // 100) - 1)] / 1e3
print("ops=%d elapsed_s=%.3f" % (requests, elapsed / 1e9))
print("cpu_us_per_op=%.1f" % (cpu / 1e3 / requests))
print("p50_us=%.1f\np99_us=%.1f" % (rank(50), rank(99)))
print("req/s=%.1f" % (requests * 1e9 / elapsed))
