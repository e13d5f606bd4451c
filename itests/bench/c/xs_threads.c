/*
 * libxenstore from N threads on xenstored's socket ($XENSTORED_PATH): all threads sharing one handle
 * (libxenstore serializes them: one request on the wire at a time) or one handle, and so one connection,
 * per thread.
 *
 *   xs_threads [--threads N] [--handles shared|per-thread] [--op read|write] [--size BYTES] [--requests N]
 *              [--warmup N]
 *
 * Each thread works on its own node /bench/lib-<pid>/t<i> (removed after). Prints xenstore-bench's report:
 * the last line is req/s=<number>. Exits 1 when a call fails.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xenstore.h>

#include "report.h"

struct worker {
    pthread_t thread;
    struct xs_handle *h;
    char node[64];
    size_t warmup, count;
    uint64_t *latencies;
};

static int write_op;
static size_t size;
static char value[4096];
static pthread_barrier_t warmed_up, go;

static void once(struct worker *w)
{
    if (write_op) {
        if (!xs_write(w->h, XBT_NULL, w->node, value, size)) {
            perror(w->node);
            exit(1);
        }
        return;
    }
    unsigned int len;
    void *v = xs_read(w->h, XBT_NULL, w->node, &len);
    if (!v) {
        perror(w->node);
        exit(1);
    }
    free(v);
}

static void *work(void *arg)
{
    struct worker *w = arg;
    for (size_t i = 0; i < w->warmup; i++)
        once(w);
    pthread_barrier_wait(&warmed_up);
    pthread_barrier_wait(&go);
    for (size_t i = 0; i < w->count; i++) {
        uint64_t t0 = now_ns();
        once(w);
        w->latencies[i] = now_ns() - t0;
    }
    return NULL;
}

static struct xs_handle *open_handle(void)
{
    struct xs_handle *h = xs_open(0);
    if (!h) {
        perror("xs_open");
        exit(1);
    }
    return h;
}

int main(int argc, char **argv)
{
    size_t threads = 1, requests = 10000;
    long warmup = -1;
    int shared = 1;
    size = 16;
    for (int i = 1; i + 1 < argc; i += 2) {
        const char *o = argv[i], *v = argv[i + 1];
        if (!strcmp(o, "--threads")) threads = (size_t)atol(v);
        else if (!strcmp(o, "--handles")) shared = strcmp(v, "per-thread") != 0;
        else if (!strcmp(o, "--op")) write_op = !strcmp(v, "write");
        else if (!strcmp(o, "--size")) size = (size_t)atol(v);
        else if (!strcmp(o, "--requests")) requests = (size_t)atol(v);
        else if (!strcmp(o, "--warmup")) warmup = atol(v);
        else {
            fprintf(stderr, "unknown option %s\n", o);
            return 2;
        }
    }
    if (threads < 1 || requests < threads || size > 4000) {
        fprintf(stderr, "usage: xs_threads [--threads N] [--handles shared|per-thread] [--op read|write] "
                        "[--size BYTES] [--requests N] [--warmup N]\n");
        return 2;
    }
    size_t warm = warmup < 0 ? requests / 5 : (size_t)warmup;
    memset(value, 'x', sizeof value);
    struct xs_handle *first = open_handle();
    struct worker *workers = calloc(threads, sizeof *workers);
    uint64_t *latencies = calloc(requests, sizeof *latencies);
    pthread_barrier_init(&warmed_up, NULL, (unsigned)threads + 1);
    pthread_barrier_init(&go, NULL, (unsigned)threads + 1);
    size_t at = 0;
    for (size_t i = 0; i < threads; i++) {
        struct worker *w = &workers[i];
        w->h = shared || i == 0 ? first : open_handle();
        snprintf(w->node, sizeof w->node, "/bench/lib-%d/t%zu", (int)getpid(), i);
        if (!xs_write(first, XBT_NULL, w->node, value, (unsigned)size)) {
            perror(w->node);
            return 1;
        }
        w->warmup = warm / threads + (i < warm % threads);
        w->count = requests / threads + (i < requests % threads);
        w->latencies = latencies + at;
        at += w->count;
        pthread_create(&w->thread, NULL, work, w);
    }
    pthread_barrier_wait(&warmed_up);
    uint64_t start = now_ns(), cpu_start = cpu_ns();
    pthread_barrier_wait(&go);
    for (size_t i = 0; i < threads; i++)
        pthread_join(workers[i].thread, NULL);
    uint64_t elapsed = now_ns() - start, cpu = cpu_ns() - cpu_start;
    char dir[64];
    snprintf(dir, sizeof dir, "/bench/lib-%d", (int)getpid());
    xs_rm(first, XBT_NULL, dir);
    report(latencies, requests, elapsed, cpu);
    return 0;
}
