#!/usr/bin/env python3
"""Smoke test of a fake-hypervisor xenstored (FAKE-HYPERVISOR.md convention).

Usage: ring_smoke.py D [--seq N] [--concurrent N]

Talks to the xenstored started by xenstored-up.sh D through dom0's file ring,
through guest rings it introduces over D/socket, and through the socket
itself.  Exits non-zero on the first wrong reply or on a stall (a reply that
does not arrive within STALL_SECONDS, i.e. a lost kick).

Also a small library for debugging: Client(RingTransport(D, domid)) or
Client(SocketTransport(D)) give request(type, payload) -> (type, payload).
"""
import errno
import mmap
import os
import select
import socket
import struct
import sys
import time

# xs_wire.h message types
XS_READ, XS_WATCH, XS_INTRODUCE, XS_RELEASE = 2, 4, 8, 9
XS_GET_DOMAIN_PATH, XS_WRITE, XS_MKDIR, XS_RM = 10, 11, 12, 13
XS_SET_PERMS, XS_WATCH_EVENT, XS_ERROR = 14, 15, 16
HEADER = struct.Struct("<IIII")        # type, req_id, tx_id, len

# struct xenstore_domain_interface (xs_wire.h), one 4 KiB page
RING_SIZE = 1024
REQ, RSP = 0, 1024
REQ_CONS, REQ_PROD, RSP_CONS, RSP_PROD = 2048, 2052, 2056, 2060
SERVER_FEATURES, CONNECTION, ERROR = 2064, 2068, 2072
PAGE = 4096

STALL_SECONDS = 5.0


class Stall(Exception):
    pass


class XsError(Exception):
    pass


class SocketTransport:
    """A privileged connection over D/socket."""

    def __init__(self, d):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(STALL_SECONDS)
        self.sock.connect(os.path.join(d, "socket"))

    def write_all(self, data):
        self.sock.sendall(data)

    def read_exact(self, n):
        buf = b""
        while len(buf) < n:
            chunk = self.sock.recv(n - len(buf))
            if not chunk:
                raise EOFError("xenstored closed the socket")
            buf += chunk
        return buf

    def close(self):
        self.sock.close()


class RingTransport:
    """Domain `domid`'s side of D/dom<domid>.ring, kicked through FIFOs."""

    def __init__(self, d, domid):
        self.d, self.domid = d, domid
        fifo = os.path.join(d, "dom%d.evtchn" % domid)
        if not os.path.exists(fifo):
            os.mkfifo(fifo, 0o600)
        # Opened before any ring traffic so no kick from xenstored is missed.
        self.evtchn = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
        fd = os.open(os.path.join(d, "dom%d.ring" % domid), os.O_RDWR)
        self.page = mmap.mmap(fd, PAGE, mmap.MAP_SHARED)
        os.close(fd)
        # Indices must be read and written as whole aligned 32-bit words:
        # struct.pack_into("<I") stores byte by byte, and xenstored reading a
        # half-written index declares the ring broken (error=RINGIDX) for good.
        # Native "I" is the ring's little-endian uint32 on x86.
        assert sys.byteorder == "little"
        self.words = memoryview(self.page).cast("I")
        self.kick_fd = None

    def u32(self, off):
        return self.words[off // 4]

    def set_u32(self, off, value):
        self.words[off // 4] = value & 0xFFFFFFFF

    def kick(self):
        """Tells xenstored to look at the ring; dropped if its FIFO is full."""
        if self.kick_fd is None:
            self.kick_fd = os.open(os.path.join(self.d, "xenstored.evtchn"),
                                   os.O_WRONLY | os.O_NONBLOCK)
        try:
            os.write(self.kick_fd, struct.pack("<I", self.domid))
        except BlockingIOError:
            pass

    def wait(self, deadline, what):
        """Sleeps until xenstored kicks us (or the deadline passes).

        Callers drain-then-check before calling, so a kick sent after their
        check is still in the FIFO and wakes select at once."""
        left = deadline - time.monotonic()
        if left <= 0:
            raise Stall("%s: no progress for %.0f s (req %d/%d rsp %d/%d)" % (
                what, STALL_SECONDS, self.u32(REQ_CONS), self.u32(REQ_PROD),
                self.u32(RSP_CONS), self.u32(RSP_PROD)))
        select.select([self.evtchn], [], [], left)

    def drain(self):
        try:
            while os.read(self.evtchn, 4096):
                pass
        except BlockingIOError:
            pass

    def write_all(self, data):
        deadline = time.monotonic() + STALL_SECONDS
        while data:
            self.drain()
            cons, prod = self.u32(REQ_CONS), self.u32(REQ_PROD)
            free = RING_SIZE - ((prod - cons) & 0xFFFFFFFF)
            if free == 0:
                self.wait(deadline, "request ring full")
                continue
            at = prod % RING_SIZE
            n = min(free, len(data), RING_SIZE - at)
            self.page[REQ + at:REQ + at + n] = data[:n]
            self.set_u32(REQ_PROD, prod + n)     # data first, then index
            self.kick()
            data = data[n:]
            deadline = time.monotonic() + STALL_SECONDS

    def read_exact(self, n):
        deadline = time.monotonic() + STALL_SECONDS
        buf = b""
        while len(buf) < n:
            self.drain()
            cons, prod = self.u32(RSP_CONS), self.u32(RSP_PROD)
            avail = (prod - cons) & 0xFFFFFFFF
            if avail == 0:
                self.wait(deadline, "waiting for reply")
                continue
            at = cons % RING_SIZE
            k = min(avail, n - len(buf), RING_SIZE - at)
            buf += self.page[RSP + at:RSP + at + k]
            self.set_u32(RSP_CONS, cons + k)     # copy first, then index
            self.kick()
            deadline = time.monotonic() + STALL_SECONDS
        return buf

    def close(self):
        self.words.release()
        self.page.close()
        os.close(self.evtchn)
        if self.kick_fd is not None:
            os.close(self.kick_fd)


class Client:
    """One request at a time; watch events are queued, not mistaken for replies."""

    def __init__(self, transport):
        self.t = transport
        self.req_id = 0
        self.events = []

    def request(self, type_, payload):
        self.req_id += 1
        self.t.write_all(HEADER.pack(type_, self.req_id, 0, len(payload)) + payload)
        while True:
            rtype, rid, _, length = HEADER.unpack(self.t.read_exact(HEADER.size))
            body = self.t.read_exact(length)
            if rtype == XS_WATCH_EVENT:
                self.events.append(body)
            elif rid == self.req_id:
                return rtype, body

    def ok(self, type_, payload):
        rtype, body = self.request(type_, payload)
        if rtype == XS_ERROR:
            raise XsError(body.rstrip(b"\0").decode())
        return body

    def read(self, path):
        return self.ok(XS_READ, path.encode() + b"\0")

    def write(self, path, value):
        return self.ok(XS_WRITE, path.encode() + b"\0" + value)

    def error_of(self, type_, payload):
        rtype, body = self.request(type_, payload)
        return body.rstrip(b"\0").decode() if rtype == XS_ERROR else None

    def next_event(self):
        """Waits for one watch event (socket transports only)."""
        while not self.events:
            rtype, _, _, length = HEADER.unpack(self.t.read_exact(HEADER.size))
            body = self.t.read_exact(length)
            if rtype == XS_WATCH_EVENT:
                self.events.append(body)
        return self.events.pop(0)


def check(label, got, want):
    if got != want:
        raise AssertionError("%s: got %r, want %r" % (label, got, want))
    print("ok   %s" % label)


def make_guest(d, tool, domid, port):
    """Creates guest domid's page and FIFO, then introduces it as the toolstack would."""
    with open(os.path.join(d, "dom%d.ring" % domid), "wb") as f:
        f.write(bytes(PAGE))
    guest = RingTransport(d, domid)
    tool.ok(XS_INTRODUCE, b"%d\0%d\0%d\0" % (domid, 0x1000 + domid, port))
    home = "/local/domain/%d" % domid
    tool.ok(XS_MKDIR, home.encode() + b"\0")
    tool.ok(XS_SET_PERMS, home.encode() + b"\0" + b"n%d\0" % domid)
    return Client(guest)


def sequential(client, tag, count):
    for i in range(count):
        value = b"%s-%d" % (tag.encode(), i)
        client.write("%s/seq" % HOMES[tag], value)
        got = client.read("%s/seq" % HOMES[tag])
        if got != value:
            raise AssertionError("%s #%d: got %r want %r" % (tag, i, got, value))


HOMES = {"dom0": "/smoke/dom0", "dom5": "/local/domain/5", "dom6": "/local/domain/6"}


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    d = os.path.abspath(args[0])
    seq = int(args[args.index("--seq") + 1]) if "--seq" in args else 2000
    conc = int(args[args.index("--concurrent") + 1]) if "--concurrent" in args else 1000

    dom0 = Client(RingTransport(d, 0))
    tool = Client(SocketTransport(d))

    # dom0 ring basics
    dom0.write("/smoke/a", b"hello ring")
    check("dom0 ring WRITE then READ", dom0.read("/smoke/a"), b"hello ring")
    check("dom0 ring READ missing -> ENOENT", dom0.error_of(XS_READ, b"/smoke/none\0"), "ENOENT")
    check("socket sees the ring's write", tool.read("/smoke/a"), b"hello ring")
    big = bytes((i * 7 + 3) % 251 for i in range(4000))
    dom0.write("/smoke/big", big)
    check("4000-byte value through the 1 KiB ring", dom0.read("/smoke/big"), big)
    print("info dom0 server_features=%d connection=%d error=%d" % (
        dom0.t.u32(SERVER_FEATURES), dom0.t.u32(CONNECTION), dom0.t.u32(ERROR)))

    # an unprivileged guest
    tool.write("/smoke/secret", b"dom0 only")
    guest5 = make_guest(d, tool, 5, 7)
    check("guest 5 READ dom0's node -> EACCES",
          guest5.error_of(XS_READ, b"/smoke/secret\0"), "EACCES")
    print("info guest 5 READ /local/domain/0 -> %s" %
          guest5.error_of(XS_READ, b"/local/domain/0\0"))
    check("guest 5 WRITE outside its home -> EACCES",
          guest5.error_of(XS_WRITE, b"/smoke/x\0v"), "EACCES")
    check("guest 5 GET_DOMAIN_PATH 5",
          guest5.ok(XS_GET_DOMAIN_PATH, b"5\0"), b"/local/domain/5\0")
    check("guest 5 WRITE of 4000 bytes -> ENOSPC (node-size quota 2048)",
          guest5.error_of(XS_WRITE, b"/local/domain/5/data\0" + big), "ENOSPC")
    small = big[:1500]
    guest5.write("/local/domain/5/data", small)
    check("guest 5 1500-byte value in its home", guest5.read("/local/domain/5/data"), small)
    tool.ok(XS_SET_PERMS, b"/smoke/big\0n0\0r5\0")
    check("guest 5 READ of a 4000-byte node it may read", guest5.read("/smoke/big"), big)
    print("info guest 5 server_features=%d connection=%d error=%d" % (
        guest5.t.u32(SERVER_FEATURES), guest5.t.u32(CONNECTION), guest5.t.u32(ERROR)))

    # no lost kicks: sequential
    t0 = time.monotonic()
    sequential(dom0, "dom0", seq)
    dt = time.monotonic() - t0
    print("ok   %d sequential WRITE+READ pairs on dom0's ring (%.1f us per request)" %
          (seq, dt * 1e6 / (2 * seq)))

    # no lost kicks: three rings at once, one process each
    guest6 = make_guest(d, tool, 6, 9)
    pids = []
    for tag, client in (("dom0", dom0), ("dom5", guest5), ("dom6", guest6)):
        pid = os.fork()
        if pid == 0:
            try:
                sequential(client, tag, conc)
                os._exit(0)
            except BaseException as e:     # report, then fail the child
                print("FAIL %s: %s" % (tag, e), file=sys.stderr)
                os._exit(1)
        pids.append((tag, pid))
    t0 = time.monotonic()
    failed = [tag for tag, pid in pids if os.waitpid(pid, 0)[1] != 0]
    dt = time.monotonic() - t0
    if failed:
        raise AssertionError("concurrent clients failed: %s" % failed)
    print("ok   3 concurrent ring clients x %d WRITE+READ pairs (%.2f s)" % (conc, dt))

    # a guest whose ring file disappears dies (VIRQ_DOM_EXC)
    tool.ok(XS_WATCH, b"@releaseDomain\0rel\0")
    check("first watch event is the registration", tool.next_event(), b"@releaseDomain\0rel\0")
    os.unlink(os.path.join(d, "dom6.ring"))
    guest6.t.kick()
    check("removing dom6.ring then kicking fires @releaseDomain",
          tool.next_event(), b"@releaseDomain\0rel\0")
    check("dom6 is gone: RELEASE 6 -> ENOENT",
          tool.error_of(XS_RELEASE, b"6\0"), "ENOENT")

    # tidy up guest 5 so the folder can be reused
    tool.ok(XS_RELEASE, b"5\0")
    tool.ok(XS_RM, b"/smoke\0")
    for c in (dom0, guest5, guest6, tool):
        c.t.close()
    print("PASS")


if __name__ == "__main__":
    main()
