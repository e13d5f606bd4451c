/* The report both C baselines print, in xenstore-bench's format: cpu_us_per_op, p50_us, p99_us, then req/s last. */
#ifndef BENCH_REPORT_H
#define BENCH_REPORT_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

static inline uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The process's CPU time, user and system, all threads. */
static inline uint64_t cpu_ns(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return ((uint64_t)(u.ru_utime.tv_sec + u.ru_stime.tv_sec)) * 1000000000u
           + ((uint64_t)(u.ru_utime.tv_usec + u.ru_stime.tv_usec)) * 1000u;
}

static int compare_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of sorted latencies, in microseconds. */
static double percentile_us(const uint64_t *sorted, size_t n, double percent)
{
    size_t rank = (size_t)(percent / 100.0 * (double)n + 0.999999);
    return sorted[rank > 0 ? rank - 1 : 0] / 1e3;
}

/* cpu_ns: the client's CPU time over the measured interval, as cpu_ns() differences. */
static void report(uint64_t *latencies, size_t n, uint64_t elapsed_ns, uint64_t cpu)
{
    qsort(latencies, n, sizeof *latencies, compare_u64);
    printf("ops=%zu elapsed_s=%.3f\n", n, elapsed_ns / 1e9);
    printf("cpu_us_per_op=%.1f\n", cpu / 1e3 / n);
    printf("p50_us=%.1f\np99_us=%.1f\n", percentile_us(latencies, n, 50), percentile_us(latencies, n, 99));
    printf("req/s=%.1f\n", n * 1e9 / elapsed_ns);
    fflush(stdout);
}

#endif
