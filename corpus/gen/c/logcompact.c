/* logcompact: compacts rotated request logs. It reads every *.log file of
 * --in once, front to back, in 1 MiB read(2) calls (rate-limited to
 * --max-mib-per-sec so the compaction does not starve the serving disk),
 * keeps only lines whose status field is 5xx and appends them to
 * --out. Each input file is read exactly once.
 *
 * With --mkfiles N it writes N input files of --file-mb MiB (fsync'd and
 * dropped from the page cache with POSIX_FADV_DONTNEED) and exits.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now_s(void) {
    struct timespec ts; clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void mkfiles(const char *dir, int n, long mb) {
    char path[4096], line[256];
    static const int codes[] = {200, 200, 200, 200, 200, 200, 204, 301, 304, 404, 500, 200, 200, 200, 200, 200,
                                200, 200, 201, 200, 200, 200, 304, 200, 200, 200, 200, 502, 200, 200, 200, 404};
    unsigned long x = 12345;
    for (int i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/access-%02d.log", dir, i);
        FILE *f = fopen(path, "w");
        if (!f) { perror(path); exit(1); }
        long written = 0, req = 0;
        while (written < mb << 20) {
            x = x * 6364136223846793005UL + 1442695040888963407UL;
            int l = snprintf(line, sizeof line, "2026-03-14T02:%02ld:%02ld.%03ld 10.%lu.%lu.%lu GET /api/v2/items/%lu?page=%lu %d %lu %.3f \"svc-client/4.2\"\n",
                             (req / 60000) % 60, (req / 1000) % 60, req % 1000, (x >> 8) & 255, (x >> 16) & 255, (x >> 24) & 255,
                             (x >> 32) % 900000, (x >> 52) % 40, codes[(x >> 40) & 31], (x >> 20) % 65536, ((x >> 10) % 5000) / 1000.0);
            fwrite(line, 1, l, f);
            written += l; req++;
        }
        fflush(f); fsync(fileno(f));
        posix_fadvise(fileno(f), 0, 0, POSIX_FADV_DONTNEED);
        fclose(f);
        printf("wrote %s\n", path);
    }
}

int main(int argc, char **argv) {
    const char *in = "/var/log/app/rotated", *out = "/var/log/app/errors.compact";
    int nmk = 0; long file_mb = 100; double rate = 16;
    for (int i = 1; i + 1 < argc; i++) {
        if (!strcmp(argv[i], "--in")) in = argv[++i];
        else if (!strcmp(argv[i], "--out")) out = argv[++i];
        else if (!strcmp(argv[i], "--mkfiles")) nmk = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--file-mb")) file_mb = atol(argv[++i]);
        else if (!strcmp(argv[i], "--max-mib-per-sec")) rate = atof(argv[++i]);
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (nmk) { mkfiles(in, nmk, file_mb); return 0; }

    DIR *d = opendir(in);
    if (!d) { perror(in); return 1; }
    char *names[1024]; int nn = 0;
    struct dirent *e;
    while ((e = readdir(d)) && nn < 1024)
        if (strstr(e->d_name, ".log")) names[nn++] = strdup(e->d_name);
    closedir(d);
    qsort(names, nn, sizeof *names, cmp);

    FILE *of = fopen(out, "w");
    if (!of) { perror(out); return 1; }
    size_t bufsz = 1 << 20;
    char *buf = malloc(bufsz + 4096);
    char *carry = malloc(4096); size_t ncarry = 0;
    double t0 = now_s();
    long total = 0, kept = 0, lines = 0;
    for (int i = 0; i < nn; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", in, names[i]);
        int fd = open(path, O_RDONLY);
        if (fd < 0) { perror(path); continue; }
        ssize_t r;
        ncarry = 0;
        while ((r = read(fd, buf + ncarry, bufsz)) > 0) {
            if (ncarry) memcpy(buf, carry, ncarry);
            size_t n = ncarry + r, start = 0;
            for (size_t j = 0; j < n; j++) {
                if (buf[j] != '\n') continue;
                /* status is the 5th space-separated field */
                int sp = 0; size_t k = start;
                while (k < j && sp < 4) if (buf[k++] == ' ') sp++;
                if (k + 3 <= j && buf[k] >= '5') { fwrite(buf + start, 1, j - start + 1, of); kept++; }
                lines++;
                start = j + 1;
            }
            ncarry = n - start;
            if (ncarry > 4096) ncarry = 0;
            memcpy(carry, buf + start, ncarry);
            total += r;
            double want = t0 + (total / 1048576.0) / rate, t = now_s();
            if (want > t) usleep((useconds_t)((want - t) * 1e6));
        }
        close(fd);
        fflush(of);
        printf("logcompact: %s done; %ld MiB read, %ld lines, %ld kept\n", names[i], total >> 20, lines, kept);
    }
    fclose(of);
    printf("logcompact: finished %d files, %ld MiB in %.1fs\n", nn, total >> 20, now_s() - t0);
    return 0;
}
