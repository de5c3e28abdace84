/* sesstab: an in-memory session store. At start it allocates a slab of
 * fixed-size session records (--sessions x 512 bytes) and initialises every
 * record; then it serves session touches: each request picks a session
 * uniformly at random, checks its token and updates its last-seen time and
 * hit counter (one read-modify-write of a 512-byte record).
 *
 * usage: sesstab [--sessions N] [--workers-sleep-us U]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct session {
    uint64_t id;
    uint64_t token;
    int64_t created;
    int64_t last_seen;
    uint64_t hits;
    char user[64];
    char attrs[416];
};

static uint64_t xs = 88172645463325252ULL;
static inline uint64_t next_rand(void) {
    xs ^= xs << 13; xs ^= xs >> 7; xs ^= xs << 17; return xs;
}

static double now_s(void) {
    struct timespec ts; clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    long nsess = 400000;
    for (int i = 1; i + 1 < argc; i++) {
        if (!strcmp(argv[i], "--sessions")) nsess = atol(argv[++i]);
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    struct session *tab = malloc(sizeof(struct session) * nsess);
    if (!tab) { perror("malloc"); return 1; }
    double t0 = now_s();
    for (long i = 0; i < nsess; i++) {
        struct session *s = &tab[i];
        s->id = i; s->token = next_rand(); s->created = (int64_t)t0; s->last_seen = (int64_t)t0; s->hits = 0;
        snprintf(s->user, sizeof s->user, "user-%08lx@example.org", (unsigned long)next_rand() & 0xffffffff);
        memset(s->attrs, 'a' + (i % 26), sizeof s->attrs);
    }
    printf("sesstab: %ld sessions loaded (%ld MiB) in %.1fs\n", nsess, (long)(sizeof(struct session) * nsess >> 20), now_s() - t0);
    uint64_t served = 0, bad = 0;
    double last = now_s();
    for (;;) {
        struct session *s = &tab[next_rand() % nsess];
        if ((s->token & 0xffff) == 0xdead) bad++;
        s->last_seen = (int64_t)last;
        s->hits++;
        served++;
        if ((served & 0xfff) == 0) {
            double t = now_s();
            if (t - last >= 10) {
                printf("sesstab: touches=%llu rejected=%llu\n", (unsigned long long)served, (unsigned long long)bad);
                last = t;
            }
        }
    }
}
