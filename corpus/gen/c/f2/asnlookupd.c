/* asnlookupd: IP-to-ASN lookup service. Serves lookups from a sorted table of
 * 16-byte range records (start, end, asn, flags) in a read-only data file that
 * is mmap'd once at start; each lookup is a binary search over the mapping.
 * A built-in load generator issues --rate lookups/s of random addresses from
 * --threads threads.
 *
 * usage: asnlookupd --file PATH [--rate 20000] [--threads 2]
 *        asnlookupd --mkfile PATH [--mb 60]   (writes the table, fsyncs it and
 *                                              drops it from the page cache)
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct range { uint32_t start, end, asn, flags; };

static const struct range *table;
static size_t nranges;
static long rate = 20000;
static int nthreads = 2;
static volatile unsigned long long lookups, misses, asn_sum;

static uint64_t splitmix(uint64_t *s) {
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static int mkfile(const char *path, long mb) {
    size_t n = (size_t)mb * 1024 * 1024 / sizeof(struct range);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) { perror("open"); return 1; }
    struct range buf[4096];
    uint64_t s = 99;
    uint32_t step = (uint32_t)(0xffffffffULL / n), cur = 0;
    for (size_t i = 0; i < n;) {
        size_t k = 0;
        for (; k < 4096 && i < n; k++, i++) {
            buf[k].start = cur;
            buf[k].end = cur + step - 1 - (uint32_t)(splitmix(&s) % 8);
            buf[k].asn = 1 + (uint32_t)(splitmix(&s) % 400000);
            buf[k].flags = (uint32_t)(splitmix(&s) & 7);
            cur += step;
        }
        if (write(fd, buf, k * sizeof(struct range)) < 0) { perror("write"); return 1; }
    }
    fsync(fd);
    posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    close(fd);
    printf("wrote %zu ranges (%ld MiB) to %s\n", n, mb, path);
    return 0;
}

static uint32_t lookup(uint32_t ip) {
    size_t lo = 0, hi = nranges;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (table[mid].end < ip) lo = mid + 1; else hi = mid;
    }
    if (lo < nranges && table[lo].start <= ip && ip <= table[lo].end) return table[lo].asn;
    return 0;
}

static void *worker(void *arg) {
    uint64_t s = (uint64_t)(uintptr_t)arg * 7919 + 1;
    long per = rate / nthreads, step = 100;
    struct timespec next;
    clock_gettime(CLOCK_MONOTONIC, &next);
    long period_ns = 1000000000L / per * step;
    for (;;) {
        unsigned long long sum = 0, miss = 0;
        for (long k = 0; k < step; k++) {
            uint32_t a = lookup((uint32_t)splitmix(&s));
            if (!a) miss++;
            sum += a;
        }
        __atomic_add_fetch(&lookups, step, __ATOMIC_RELAXED);
        __atomic_add_fetch(&misses, miss, __ATOMIC_RELAXED);
        __atomic_add_fetch(&asn_sum, sum, __ATOMIC_RELAXED);
        next.tv_nsec += period_ns;
        while (next.tv_nsec >= 1000000000L) { next.tv_nsec -= 1000000000L; next.tv_sec++; }
        clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
    }
    return NULL;
}

int main(int argc, char **argv) {
    const char *file = NULL, *mk = NULL;
    long mb = 60;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--file") && i + 1 < argc) file = argv[++i];
        else if (!strcmp(argv[i], "--mkfile") && i + 1 < argc) mk = argv[++i];
        else if (!strcmp(argv[i], "--mb") && i + 1 < argc) mb = atol(argv[++i]);
        else if (!strcmp(argv[i], "--rate") && i + 1 < argc) rate = atol(argv[++i]);
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc) nthreads = atoi(argv[++i]);
        else { fprintf(stderr, "unknown flag %s\n", argv[i]); return 2; }
    }
    if (mk) return mkfile(mk, mb);
    if (!file) { fprintf(stderr, "--file required\n"); return 2; }
    int fd = open(file, O_RDONLY);
    if (fd < 0) { perror("open"); return 1; }
    struct stat st;
    fstat(fd, &st);
    table = mmap(NULL, st.st_size, PROT_READ, MAP_SHARED, fd, 0);
    if (table == MAP_FAILED) { perror("mmap"); return 1; }
    nranges = st.st_size / sizeof(struct range);
    printf("serving %zu ranges (%ld MiB mapped) at %ld lookups/s on %d threads\n", nranges, (long)(st.st_size >> 20), rate, nthreads);
    fflush(stdout);
    pthread_t th;
    for (int t = 0; t < nthreads; t++) pthread_create(&th, NULL, worker, (void *)(uintptr_t)(t + 1));
    for (int sec = 5;; sec += 5) {
        sleep(5);
        printf("t=%ds lookups=%llu misses=%llu\n", sec, lookups, misses);
        fflush(stdout);
    }
}
