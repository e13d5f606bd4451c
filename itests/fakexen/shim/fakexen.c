/*
 * fakexen.so - LD_PRELOAD library that lets Debian's unmodified xenstored 4.17
 * run on a machine without Xen.
 *
 * It replaces exactly the hypervisor calls xenstored imports (nm -D) and the
 * two /proc/xen files it opens, following the folder convention of
 * FAKE-HYPERVISOR.md.  FAKEXEN_DIR names the folder D:
 *
 *   D/dom<N>.ring        domain N's 4 KiB xenstore_domain_interface page
 *   D/xsd_port           dom0's event channel port, decimal text
 *   D/xenstored.evtchn   FIFO created here; a domain kicks xenstored by
 *                        writing its domid as a 4-byte little-endian uint32
 *   D/dom<N>.evtchn      FIFO owned by domain N's side; xenstored kicks it by
 *                        writing the 4-byte remote port
 *
 * Everything xenstored reads from a ring is level-triggered: its main loop
 * re-checks every ring after each poll() wakeup, and keeps polling with a zero
 * timeout while a ring still has work.  A kick therefore only has to make
 * poll() return; which port xenevtchn_pending() reports only matters for the
 * VIRQ_DOM_EXC port (it makes xenstored look for dead domains).
 *
 * xenstored is single-threaded; all mutable state lives in the handles it
 * owns, none in globals.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xenctrl.h>
#include <xenevtchn.h>
#include <xengnttab.h>

#define RING_PAGE_SIZE 4096
#define KICK_SIZE 4
/* Port 0 is never a valid event channel on Xen; xenstored only compares the
 * result of xenevtchn_pending() with its VIRQ port, then unmasks it. */
#define NO_PORT 0

#define EXPORT __attribute__((visibility("default")))

/* ---------------------------------------------------------------- paths */

static const char *fakexen_dir(void)
{
    const char *d = getenv("FAKEXEN_DIR");

    if (!d || !*d) {
        fprintf(stderr, "fakexen: FAKEXEN_DIR is not set\n");
        return NULL;
    }
    return d;
}

/* D/<name>, or NULL (errno set) when D is unknown or the path too long. */
static const char *dir_path(char *buf, size_t len, const char *name)
{
    const char *d = fakexen_dir();

    if (!d) {
        errno = ENOENT;
        return NULL;
    }
    if ((size_t)snprintf(buf, len, "%s/%s", d, name) >= len) {
        errno = ENAMETOOLONG;
        return NULL;
    }
    return buf;
}

/* D/dom<domid>.<suffix> */
static const char *dom_path(char *buf, size_t len, uint32_t domid,
                            const char *suffix)
{
    char name[32];

    snprintf(name, sizeof(name), "dom%u.%s", domid, suffix);
    return dir_path(buf, len, name);
}

static int domain_alive(uint32_t domid)
{
    char path[PATH_MAX];
    struct stat st;

    return dom_path(path, sizeof(path), domid, "ring") &&
           stat(path, &st) == 0;
}

/*
 * Opens a ring file.  One shorter than a page would make xenstored die of
 * SIGBUS when it touches the mapping, so refuse it with an error xenstored
 * can report instead.
 */
static int open_ring_file(const char *path, int flags)
{
    struct stat st;
    int fd = openat(AT_FDCWD, path, flags);

    if (fd >= 0 && (fstat(fd, &st) != 0 || st.st_size < RING_PAGE_SIZE)) {
        close(fd);
        errno = EINVAL;
        return -1;
    }
    return fd;
}

static void *map_ring_file(const char *path)
{
    void *addr;
    int fd = open_ring_file(path, O_RDWR | O_CLOEXEC);

    if (fd < 0)
        return NULL;
    /* MAP_SHARED: the page is the one the domain's own process maps. */
    addr = mmap(NULL, RING_PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
                fd, 0);
    close(fd);
    return addr == MAP_FAILED ? NULL : addr;
}

/* ------------------------------------------------- /proc/xen redirection */

/*
 * xenstored opens /proc/xen/xsd_kva (then mmaps it) and /proc/xen/xsd_port
 * with open(); everything else passes through untouched.  openat() is not
 * interposed, so it reaches libc directly.
 */
static int redirected_open(const char *path, int flags, mode_t mode)
{
    char buf[PATH_MAX];
    const char *target = path;

    if (path && strcmp(path, "/proc/xen/xsd_kva") == 0) {
        /* xenstored mmaps one page of it: dom0's ring. */
        target = dom_path(buf, sizeof(buf), 0, "ring");
        return target ? open_ring_file(target, flags) : -1;
    }
    if (path && strcmp(path, "/proc/xen/xsd_port") == 0)
        target = dir_path(buf, sizeof(buf), "xsd_port");
    if (!target)
        return -1;
    return openat(AT_FDCWD, target, flags, mode);
}

static mode_t open_mode(int flags, va_list ap)
{
    if ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE)
        return (mode_t)va_arg(ap, int);
    return 0;
}

EXPORT int open(const char *path, int flags, ...)
{
    va_list ap;
    mode_t mode;

    va_start(ap, flags);
    mode = open_mode(flags, ap);
    va_end(ap);
    return redirected_open(path, flags, mode);
}

/* Same file-offset ABI on x86_64: one function serves both names. */
EXPORT int open64(const char *path, int flags, ...)
    __attribute__((alias("open")));

/* ------------------------------------------------------------- xenctrl */

struct xc_interface_core {
    int unused;
};

EXPORT xc_interface *xc_interface_open(xentoollog_logger *logger,
                                       xentoollog_logger *dombuild_logger,
                                       unsigned open_flags)
{
    (void)logger;
    (void)dombuild_logger;
    (void)open_flags;
    return calloc(1, sizeof(struct xc_interface_core));
}

EXPORT int xc_interface_close(xc_interface *xch)
{
    free(xch);
    return 0;
}

/*
 * Xen would report the first existing domains >= first_domid; xenstored asks
 * for one domain and rejects any other domid, so reporting only first_domid
 * (or nothing) gives it the same answers.  A domain exists while its ring
 * file does; it is never dying, crashed or shut down.
 */
EXPORT int xc_domain_getinfo(xc_interface *xch, uint32_t first_domid,
                             unsigned int max_doms, xc_dominfo_t *info)
{
    (void)xch;
    if (max_doms == 0 || !domain_alive(first_domid))
        return 0;
    memset(info, 0, sizeof(*info));
    info->domid = first_domid;
    info->running = 1;
    return 1;
}

/* ------------------------------------------------------------- xenevtchn */

struct port_binding {
    int in_use;
    int is_virq;
    uint32_t domid;          /* the peer domain (interdomain ports) */
    uint32_t remote_port;    /* written into D/dom<N>.evtchn as the kick */
    int kick_fd;             /* cached write end of D/dom<N>.evtchn, or -1 */
    dev_t kick_dev;          /* identity of the FIFO kick_fd was opened on */
    ino_t kick_ino;
};

struct xenevtchn_handle {
    int fd;                            /* read end of D/xenstored.evtchn */
    unsigned char record[KICK_SIZE];   /* a kick split across reads */
    size_t record_len;
    struct port_binding *ports;        /* indexed by local port; 0 unused */
    unsigned int nr_ports;
};

static struct port_binding *binding(xenevtchn_handle *h, evtchn_port_t port)
{
    if (port == NO_PORT || port >= h->nr_ports || !h->ports[port].in_use)
        return NULL;
    return &h->ports[port];
}

/* Lowest free local port >= 1, as Xen hands them out; -1 on ENOMEM. */
static int alloc_port(xenevtchn_handle *h)
{
    unsigned int p, n;
    struct port_binding *grown;

    for (p = 1; p < h->nr_ports; p++)
        if (!h->ports[p].in_use)
            break;
    if (p >= h->nr_ports) {
        n = h->nr_ports ? 2 * h->nr_ports : 16;
        grown = realloc(h->ports, n * sizeof(*grown));
        if (!grown)
            return -1;
        memset(grown + h->nr_ports, 0,
               (n - h->nr_ports) * sizeof(*grown));
        h->ports = grown;
        h->nr_ports = n;
    }
    memset(&h->ports[p], 0, sizeof(h->ports[p]));
    h->ports[p].in_use = 1;
    h->ports[p].kick_fd = -1;
    return (int)p;
}

static void forget_kick_fd(struct port_binding *b)
{
    if (b->kick_fd >= 0)
        close(b->kick_fd);
    b->kick_fd = -1;
}

/*
 * Ensures b->kick_fd writes to the FIFO now at D/dom<N>.evtchn.  The write
 * end is kept open because a reader of a FIFO whose last writer closed sees
 * EOF (poll: POLLHUP) forever after, which would make a domain's wait spin.
 * It is re-opened when the path names another FIFO, so a client that
 * recreates its FIFO between runs is not left waiting on a dead inode.
 */
static int kick_fd_for(struct port_binding *b)
{
    char path[PATH_MAX];
    struct stat st;
    int fd;

    /* A regular file in the FIFO's place would just grow with every kick. */
    if (!dom_path(path, sizeof(path), b->domid, "evtchn") ||
        stat(path, &st) != 0 || !S_ISFIFO(st.st_mode)) {
        forget_kick_fd(b);
        return -1;
    }
    if (b->kick_fd >= 0 &&
        (st.st_dev != b->kick_dev || st.st_ino != b->kick_ino))
        forget_kick_fd(b);
    if (b->kick_fd >= 0)
        return b->kick_fd;

    /* Non-blocking: with no reader this fails with ENXIO instead of
     * waiting, and the kick is simply not needed. */
    fd = openat(AT_FDCWD, path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return -1;
    if (fstat(fd, &st) != 0) {
        close(fd);
        return -1;
    }
    b->kick_fd = fd;
    b->kick_dev = st.st_dev;
    b->kick_ino = st.st_ino;
    return fd;
}

static xenevtchn_handle *new_evtchn_handle(int fd)
{
    xenevtchn_handle *h = calloc(1, sizeof(*h));

    if (h)
        h->fd = fd;
    return h;
}

EXPORT xenevtchn_handle *xenevtchn_open(struct xentoollog_logger *logger,
                                        unsigned int flags)
{
    char path[PATH_MAX];
    xenevtchn_handle *h;
    int fd;

    (void)logger;
    if (!dir_path(path, sizeof(path), "xenstored.evtchn"))
        return NULL;
    if (mkfifo(path, 0600) != 0 && errno != EEXIST)
        return NULL;
    /*
     * O_RDWR: xenstored then counts as a writer too, so the FIFO never reads
     * EOF when domains come and go, and writers' non-blocking opens succeed.
     */
    fd = openat(AT_FDCWD, path, O_RDWR | O_NONBLOCK |
                ((flags & XENEVTCHN_NO_CLOEXEC) ? 0 : O_CLOEXEC));
    if (fd < 0)
        return NULL;
    h = new_evtchn_handle(fd);
    if (!h)
        close(fd);
    return h;
}

/* Live update hands the event fd to the new xenstored binary. */
EXPORT xenevtchn_handle *xenevtchn_fdopen(struct xentoollog_logger *logger,
                                          int fd, unsigned open_flags)
{
    (void)logger;
    (void)open_flags;
    return new_evtchn_handle(fd);
}

EXPORT int xenevtchn_fd(xenevtchn_handle *xce)
{
    return xce->fd;
}

/* The VIRQ port fires when a domain whose ring file is gone kicks
 * (see xenevtchn_pending); xenstored then notices the death. */
EXPORT xenevtchn_port_or_error_t xenevtchn_bind_virq(xenevtchn_handle *xce,
                                                     unsigned int virq)
{
    int port = alloc_port(xce);

    (void)virq;
    if (port < 0)
        return -1;
    xce->ports[port].is_virq = 1;
    return port;
}

EXPORT xenevtchn_port_or_error_t
xenevtchn_bind_interdomain(xenevtchn_handle *xce, uint32_t domid,
                           evtchn_port_t remote_port)
{
    int port = alloc_port(xce);

    if (port < 0)
        return -1;
    xce->ports[port].domid = domid;
    xce->ports[port].remote_port = remote_port;
    return port;
}

EXPORT int xenevtchn_unbind(xenevtchn_handle *xce, evtchn_port_t port)
{
    struct port_binding *b = binding(xce, port);

    if (!b) {
        errno = EINVAL;
        return -1;
    }
    forget_kick_fd(b);
    b->in_use = 0;
    return 0;
}

/*
 * A kick only means "look at the ring", so one that cannot be delivered at
 * once (no reader, FIFO full) is dropped: blocking here would stall
 * xenstored for every domain.
 */
EXPORT int xenevtchn_notify(xenevtchn_handle *xce, evtchn_port_t port)
{
    struct port_binding *b = binding(xce, port);
    unsigned char kick[KICK_SIZE];
    int fd;

    if (!b) {
        errno = EINVAL;
        return -1;
    }
    if (b->is_virq)
        return 0;
    fd = kick_fd_for(b);
    if (fd < 0)
        return 0;
    kick[0] = b->remote_port & 0xff;
    kick[1] = (b->remote_port >> 8) & 0xff;
    kick[2] = (b->remote_port >> 16) & 0xff;
    kick[3] = (b->remote_port >> 24) & 0xff;
    /* 4 bytes < PIPE_BUF: written whole or not at all.  EPIPE (the reader
     * went away; xenstored ignores SIGPIPE) and EAGAIN (full) are drops,
     * not errors: xenstored would only log them. */
    ssize_t written = write(fd, kick, sizeof(kick));
    (void)written;
    return 0;
}

static int interdomain_port_of(xenevtchn_handle *h, uint32_t domid)
{
    unsigned int p;

    for (p = 1; p < h->nr_ports; p++)
        if (h->ports[p].in_use && !h->ports[p].is_virq &&
            h->ports[p].domid == domid)
            return (int)p;
    return -1;
}

static int virq_port_of(xenevtchn_handle *h)
{
    unsigned int p;

    for (p = 1; p < h->nr_ports; p++)
        if (h->ports[p].in_use && h->ports[p].is_virq)
            return (int)p;
    return -1;
}

/*
 * Consumes one kick per call (xenstored calls this once per poll wakeup) and
 * leaves the rest in the FIFO, so the fd stays readable while kicks remain
 * and none is lost.  Never returns -1 for "nothing there": xenstored exits
 * on -1.
 */
EXPORT xenevtchn_port_or_error_t xenevtchn_pending(xenevtchn_handle *xce)
{
    uint32_t domid;
    ssize_t n;
    int port, virq;

    while (xce->record_len < KICK_SIZE) {
        n = read(xce->fd, xce->record + xce->record_len,
                 KICK_SIZE - xce->record_len);
        if (n > 0)
            xce->record_len += (size_t)n;
        else if (n < 0 && errno == EINTR)
            continue;
        else if (n == 0 || errno == EAGAIN)
            return NO_PORT;     /* spurious wakeup or half a record */
        else
            return -1;
    }
    xce->record_len = 0;
    domid = (uint32_t)xce->record[0] | (uint32_t)xce->record[1] << 8 |
            (uint32_t)xce->record[2] << 16 | (uint32_t)xce->record[3] << 24;

    port = interdomain_port_of(xce, domid);
    if (port < 0)
        return NO_PORT;         /* kick from a domain not introduced (yet) */
    /* A guest whose ring file was removed is dead: its last kick raises
     * VIRQ_DOM_EXC so that xenstored releases it. */
    if (domid != 0 && !domain_alive(domid)) {
        virq = virq_port_of(xce);
        if (virq >= 0)
            return virq;
    }
    return port;
}

EXPORT int xenevtchn_unmask(xenevtchn_handle *xce, evtchn_port_t port)
{
    (void)xce;
    (void)port;
    return 0;
}

/* ------------------------------------------------------------- xengnttab */

struct xengntdev_handle {
    int unused;
};

EXPORT xengnttab_handle *xengnttab_open(struct xentoollog_logger *logger,
                                        unsigned open_flags)
{
    (void)logger;
    (void)open_flags;
    return calloc(1, sizeof(struct xengntdev_handle));
}

EXPORT int xengnttab_close(xengnttab_handle *xgt)
{
    free(xgt);
    return 0;
}

EXPORT int xengnttab_set_max_grants(xengnttab_handle *xgt, uint32_t nr_grants)
{
    (void)xgt;
    (void)nr_grants;
    return 0;
}

/* xenstored only ever maps grant GNTTAB_RESERVED_XENSTORE: domain N's ring. */
EXPORT void *xengnttab_map_grant_ref(xengnttab_handle *xgt, uint32_t domid,
                                     uint32_t ref, int prot)
{
    char path[PATH_MAX];

    (void)xgt;
    (void)ref;
    (void)prot;
    if (!dom_path(path, sizeof(path), domid, "ring"))
        return NULL;
    return map_ring_file(path);
}

EXPORT int xengnttab_unmap(xengnttab_handle *xgt, void *start_address,
                           uint32_t count)
{
    (void)xgt;
    return munmap(start_address, (size_t)count * RING_PAGE_SIZE);
}
