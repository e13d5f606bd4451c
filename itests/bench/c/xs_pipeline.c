/*
 * The server-bound limit: one thread keeping K requests in flight on xenstored's unix socket or on a ring of
 * the fake hypervisor (FAKE-HYPERVISOR.md), replies matched by req_id. K=1 is the serialized limit.
 *
 *   xs_pipeline (--socket PATH | --ring DIR [--domid N]) [--op read|write] [--size BYTES] [--requests N]
 *               [--warmup N] [--in-flight K]
 *
 * Works on its own node /bench/c-<pid>/v (removed after). Prints xenstore-bench's report: the last line is
 * req/s=<number>. Exits 1 on an error reply or a transport failure.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <xen/io/xs_wire.h>

#include "report.h"

static void die(const char *what)
{
    perror(what);
    exit(1);
}

/* ---- byte streams: the socket, or the ring file and its two FIFOs ---- */

static int sock = -1;
static volatile struct xenstore_domain_interface *ring;
static int kick_fd = -1;   /* DIR/xenstored.evtchn: our kicks to xenstored */
static int notify_fd = -1; /* DIR/dom<N>.evtchn: xenstored's kicks to us */
static uint32_t domid;

static void open_socket(const char *path)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path);
    sock = socket(AF_UNIX, SOCK_STREAM, 0);
    if (sock < 0 || connect(sock, (struct sockaddr *)&addr, sizeof addr) < 0)
        die(path);
    fcntl(sock, F_SETFL, O_NONBLOCK);
}

static void open_ring(const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/dom%u.ring", dir, domid);
    int fd = open(path, O_RDWR);
    if (fd < 0)
        die(path);
    ring = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (ring == MAP_FAILED)
        die("mmap");
    close(fd);
    snprintf(path, sizeof path, "%s/xenstored.evtchn", dir);
    kick_fd = open(path, O_WRONLY | O_NONBLOCK); /* a kick is dropped, never waited for, when the FIFO is full */
    if (kick_fd < 0)
        die(path);
    snprintf(path, sizeof path, "%s/dom%u.evtchn", dir, domid);
    notify_fd = open(path, O_RDWR | O_NONBLOCK); /* read-write: never EOF when xenstored closes its end */
    if (notify_fd < 0)
        die(path);
    if (ring->req_prod != ring->req_cons || ring->rsp_prod != ring->rsp_cons) {
        fprintf(stderr, "%s: the ring is not idle\n", dir);
        exit(1);
    }
}

static void kick(void)
{
    uint32_t le = htole32(domid);
    if (write(kick_fd, &le, sizeof le) < 0 && errno != EAGAIN)
        die("kick");
}

/* Moves at most len bytes out; returns how many. */
static size_t send_some(const char *buf, size_t len)
{
    if (sock >= 0) {
        ssize_t n = write(sock, buf, len);
        if (n < 0 && errno != EAGAIN)
            die("write");
        return n < 0 ? 0 : (size_t)n;
    }
    uint32_t cons = ring->req_cons, prod = ring->req_prod;
    __sync_synchronize();
    size_t n = 0;
    while (n < len && prod - cons < XENSTORE_RING_SIZE)
        ring->req[MASK_XENSTORE_IDX(prod++)] = buf[n++];
    if (n > 0) {
        __sync_synchronize(); /* the bytes before the index that publishes them */
        ring->req_prod = prod;
        kick();
    }
    return n;
}

/* Moves at most len bytes in; returns how many. */
static size_t recv_some(char *buf, size_t len)
{
    if (sock >= 0) {
        ssize_t n = read(sock, buf, len);
        if (n == 0) {
            fprintf(stderr, "xenstored closed the socket\n");
            exit(1);
        }
        if (n < 0 && errno != EAGAIN)
            die("read");
        return n < 0 ? 0 : (size_t)n;
    }
    uint32_t cons = ring->rsp_cons, prod = ring->rsp_prod;
    __sync_synchronize();
    size_t n = 0;
    while (n < len && cons != prod)
        buf[n++] = ring->rsp[MASK_XENSTORE_IDX(cons++)];
    if (n > 0) {
        __sync_synchronize(); /* done reading before the space is given back */
        ring->rsp_cons = cons;
        kick();
    }
    return n;
}

/* Sleeps until the transport may have moved: readable (or writable, when output waits). */
static void wait_for_progress(int want_write)
{
    if (sock >= 0) {
        struct pollfd p = { sock, POLLIN | (want_write ? POLLOUT : 0), 0 };
        poll(&p, 1, 1000);
        return;
    }
    struct pollfd p = { notify_fd, POLLIN, 0 };
    if (poll(&p, 1, 10) > 0) {
        char drain[256];
        while (read(notify_fd, drain, sizeof drain) > 0)
            ;
    }
}

/* ---- requests in flight ---- */

static char out[1 << 20];
static size_t out_len, out_sent;
static char in[1 << 16];
static size_t in_len;
static uint64_t *sent_at; /* by req_id */
static uint32_t next_id;
static char node[64], value[XENSTORE_PAYLOAD_MAX];

static void queue_request(uint32_t type, const char *payload, uint32_t len)
{
    struct xsd_sockmsg h = { .type = type, .req_id = next_id, .tx_id = 0, .len = len };
    memcpy(out + out_len, &h, sizeof h);
    memcpy(out + out_len + sizeof h, payload, len);
    out_len += sizeof h + len;
    sent_at[next_id++] = now_ns();
}

/* XS_READ of the node, XS_WRITE of size bytes to it, or XS_RM of its parent (the clean-up). */
static void queue_op(uint32_t type, size_t size)
{
    static char payload[XENSTORE_PAYLOAD_MAX];
    size_t path_len = strlen(node) + 1;
    memcpy(payload, node, path_len);
    if (type == XS_RM)
        *strrchr(payload, '/') = '\0';
    else if (type == XS_WRITE)
        memcpy(payload + path_len, value, size);
    queue_request(type, payload, (uint32_t)(type == XS_RM ? strlen(payload) + 1 : path_len + (type == XS_WRITE ? size : 0)));
}

/* Runs count operations with at most k in flight; latencies[i] gets the i-th reply's, if latencies. */
static void run(uint32_t type, size_t size, size_t count, size_t k, uint64_t *latencies)
{
    size_t queued = 0, done = 0, idle_waits = 0;
    while (done < count) {
        if (out_sent == out_len)
            out_len = out_sent = 0;
        while (queued < count && queued - done < k && out_len + sizeof(struct xsd_sockmsg) + 4200 < sizeof out) {
            queue_op(type, size);
            queued++;
        }
        int moved = 0;
        if (out_sent < out_len) {
            size_t n = send_some(out + out_sent, out_len - out_sent);
            out_sent += n;
            moved |= n > 0;
        }
        size_t n = recv_some(in + in_len, sizeof in - in_len);
        in_len += n;
        moved |= n > 0;
        size_t at = 0;
        struct xsd_sockmsg h;
        while (in_len - at >= sizeof h) {
            memcpy(&h, in + at, sizeof h);
            if (in_len - at < sizeof h + h.len)
                break;
            if (h.type == XS_ERROR) {
                fprintf(stderr, "xenstored: %.*s on request %u\n", (int)h.len, in + at + sizeof h, h.req_id);
                exit(1);
            }
            if (h.type != XS_WATCH_EVENT) {
                if (latencies)
                    latencies[done] = now_ns() - sent_at[h.req_id];
                done++;
            }
            at += sizeof h + h.len;
        }
        memmove(in, in + at, in_len - at);
        in_len -= at;
        idle_waits = moved ? 0 : idle_waits + 1;
        if (idle_waits > 500) {
            fprintf(stderr, "stalled: %zu of %zu answered, %zu queued, %zu of %zu bytes sent, %zu received\n", done,
                    count, queued, out_sent, out_len, in_len);
            exit(1);
        }
        if (!moved && done < count)
            wait_for_progress(out_sent < out_len);
    }
}

int main(int argc, char **argv)
{
    const char *socket_path = NULL, *ring_dir = NULL;
    uint32_t type = XS_READ;
    size_t size = 16, requests = 10000, k = 1;
    long warmup = -1;
    for (int i = 1; i + 1 < argc; i += 2) {
        const char *o = argv[i], *v = argv[i + 1];
        if (!strcmp(o, "--socket")) socket_path = v;
        else if (!strcmp(o, "--ring")) ring_dir = v;
        else if (!strcmp(o, "--domid")) domid = (uint32_t)atoi(v);
        else if (!strcmp(o, "--op")) type = strcmp(v, "write") ? XS_READ : XS_WRITE;
        else if (!strcmp(o, "--size")) size = (size_t)atol(v);
        else if (!strcmp(o, "--requests")) requests = (size_t)atol(v);
        else if (!strcmp(o, "--warmup")) warmup = atol(v);
        else if (!strcmp(o, "--in-flight")) k = (size_t)atol(v);
        else {
            fprintf(stderr, "unknown option %s\n", o);
            return 2;
        }
    }
    if ((!socket_path == !ring_dir) || k < 1 || size > 4000 || requests < 1) {
        fprintf(stderr, "usage: xs_pipeline (--socket PATH | --ring DIR [--domid N]) [--op read|write] "
                        "[--size BYTES] [--requests N] [--warmup N] [--in-flight K]\n");
        return 2;
    }
    size_t warm = warmup < 0 ? requests / 5 : (size_t)warmup;
    if (socket_path)
        open_socket(socket_path);
    else
        open_ring(ring_dir);
    sent_at = calloc(requests + warm + 4, sizeof *sent_at);
    uint64_t *latencies = calloc(requests, sizeof *latencies);
    memset(value, 'x', sizeof value);
    snprintf(node, sizeof node, "/bench/c-%d/v", (int)getpid());

    run(XS_WRITE, size, 1, 1, NULL); /* the node exists before it is read */
    run(type, size, warm, k, NULL);
    uint64_t start = now_ns(), cpu_start = cpu_ns();
    run(type, size, requests, k, latencies);
    uint64_t elapsed = now_ns() - start, cpu = cpu_ns() - cpu_start;
    run(XS_RM, 0, 1, 1, NULL);
    report(latencies, requests, elapsed, cpu);
    return 0;
}
