"""The Felix runtime's start, measured from outside: bin/jxenbus started once per store, each time from a
fresh bundle cache, and stopped again (run-benchmarks.sh calls it once per round).

felix_start.py JXENBUS_HOME RUN OUT.tsv STORE...
STORE: sim (the configuration's uri set to sim:default, no discovery), discover (the shipped configuration on a
machine without Xen: discovery, then the embedded simulator after its grace period), or socket:PATH (the
shipped configuration with XENSTORED_PATH=PATH: discovery finds that xenstored).

Appends to OUT.tsv, one line per start: label (felix.STORE's kind), RUN, seconds from the process's start to
the core's one line saying the store is up (just before XenstoreService registers), seconds to the first
answer of the shell's `xs:ls /` (the bundles that use the service are up too), used heap in MiB after a full
GC (jcmd GC.run, then GC.heap_info), committed heap in MiB, resident set in MiB. A start that fails prints
why on stderr and appends nothing.
"""
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

home, run, out_path = sys.argv[1], sys.argv[2], sys.argv[3]
stores = sys.argv[4:]
READY = re.compile(r"xenstore: connected to|EMBEDDED SIMULATOR")
TIMEOUT = 120  # seconds for any one wait


class Lines:
    """A stream's lines as they come, each with the monotonic time it was read."""

    def __init__(self, stream):
        self.lines = []
        self.cond = threading.Condition()
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream):
        for raw in stream:
            with self.cond:
                self.lines.append((time.monotonic(), raw.decode("utf-8", "replace").rstrip("\n")))
                self.cond.notify_all()
        with self.cond:
            self.lines.append((time.monotonic(), None))  # end of stream
            self.cond.notify_all()

    def wait_for(self, pattern, start=0, timeout=TIMEOUT):
        """(time, index) of the first line from index start matching pattern; None at end or timeout."""
        deadline = time.monotonic() + timeout
        with self.cond:
            i = start
            while True:
                while i < len(self.lines):
                    t, line = self.lines[i]
                    if line is None:
                        return None
                    if pattern.search(line):
                        return t, i
                    i += 1
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self.cond.wait(left)


def jcmd(pid, *command):
    return subprocess.run(["jcmd", str(pid)] + list(command), capture_output=True, text=True, timeout=TIMEOUT).stdout


def heap_after_gc(pid):
    """(used MiB, committed MiB) of the Java heap after a full collection."""
    jcmd(pid, "GC.run")
    info = jcmd(pid, "GC.heap_info")
    m = re.search(r"heap\s+total (\d+)K, used (\d+)K", info)
    if not m:
        raise RuntimeError("no heap line in jcmd GC.heap_info: " + info.strip()[:200])
    return int(m.group(2)) / 1024.0, int(m.group(1)) / 1024.0


def rss_mib(pid):
    for line in open("/proc/%d/status" % pid):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024.0
    return None


def stop(proc):
    try:
        proc.stdin.close()  # end of input: the console stops the framework
    except OSError:
        pass
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(30)


def start_once(store, work):
    env = dict(os.environ)
    env["JXENBUS_RUNTIME"] = os.path.join(work, "runtime")
    env.pop("XENSTORED_PATH", None)
    if store == "sim":
        config = os.path.join(work, "config")
        shutil.copytree(os.path.join(home, "config"), config)
        cfg = os.path.join(config, "org.jxenbus.xenstore.cfg")
        text = re.sub(r"(?m)^uri =.*$", "uri = sim:default", open(cfg).read())
        open(cfg, "w").write(text)
        env["JXENBUS_CONFIG"] = config
    elif store.startswith("socket:"):
        env["XENSTORED_PATH"] = store[len("socket:"):]
    t0 = time.monotonic()
    proc = subprocess.Popen([os.path.join(home, "bin", "jxenbus")], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env)
    try:
        err, out = Lines(proc.stderr), Lines(proc.stdout)
        ready = err.wait_for(READY)
        if ready is None:
            raise RuntimeError("no line saying the store is up within %d s; stderr: %s"
                               % (TIMEOUT, " | ".join(l for _, l in err.lines[-5:] if l)))
        # The shell's commands register after XenstoreService; a probe a few ms apart until xs:ls answers.
        answered, at, probe = None, 0, 0
        deadline = time.monotonic() + TIMEOUT
        while answered is None and time.monotonic() < deadline:
            probe += 1
            marker = re.compile("@@probe-%d@@" % probe)
            proc.stdin.write(b"xs:ls /\necho @@probe-%d@@\n" % probe)
            proc.stdin.flush()
            seen = out.wait_for(marker, at)
            if seen is None:
                raise RuntimeError("the console did not answer probe %d" % probe)
            reply = [l for _, l in out.lines[at:seen[1]] if l]
            if reply and not any("not found" in l or "Exception" in l for l in reply):
                answered = out.lines[seen[1] - 1][0]  # the time xs:ls's last line came
            at = seen[1] + 1
            if answered is None:
                time.sleep(0.01)
        if answered is None:
            raise RuntimeError("xs:ls / did not answer within %d s" % TIMEOUT)
        used, committed = heap_after_gc(proc.pid)
        return ready[0] - t0, answered - t0, used, committed, rss_mib(proc.pid)
    finally:
        stop(proc)


with open(out_path, "a") as results:
    for store in stores:
        label = "felix." + store.split(":")[0]
        work = tempfile.mkdtemp(prefix="jxb-felix.")
        try:
            ready, answered, used, committed, rss = start_once(store, work)
            results.write("%s\t%s\t%.3f\t%.3f\t%.1f\t%.1f\t%.1f\n" % (label, run, ready, answered, used, committed,
                                                                     rss or -1))
            results.flush()
        except (RuntimeError, OSError, subprocess.SubprocessError) as e:
            print("felix_start: %s run %s failed: %s" % (store, run, e), file=sys.stderr)
        finally:
            shutil.rmtree(work, ignore_errors=True)
