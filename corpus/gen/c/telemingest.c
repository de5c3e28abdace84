/* telemingest: receives telemetry batches and appends them to an in-memory
 * ingest buffer that is flushed to the columnar store when a batch window
 * closes. The window close is driven by the upstream "end of window"
 * marker; until it arrives every batch stays in the buffer. Batches arrive
 * at --batches-per-sec, each --batch-kb long (malloc'd, filled and linked
 * into the buffer).
 *
 * usage: telemingest [--batch-kb 256] [--batches-per-sec 32] [--window-batches 100000]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct batch {
    struct batch *next;
    size_t len;
    uint64_t seq;
    unsigned char data[];
};

struct ingest_buffer {
    struct batch *head, *tail;
    size_t batches, bytes;
};

static void fill_batch(struct batch *b, uint64_t seq) {
    /* decode the wire batch into rows: here, deterministic row bytes */
    uint64_t x = seq * 0x9e3779b97f4a7c15ULL + 1;
    for (size_t i = 0; i + 8 <= b->len; i += 8) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        memcpy(b->data + i, &x, 8);
    }
}

static void append_batch(struct ingest_buffer *buf, size_t len, uint64_t seq) {
    struct batch *b = malloc(sizeof *b + len);
    if (!b) { perror("malloc"); exit(1); }
    b->next = NULL; b->len = len; b->seq = seq;
    fill_batch(b, seq);
    if (buf->tail) buf->tail->next = b; else buf->head = b;
    buf->tail = b;
    buf->batches++;
    buf->bytes += len;
}

static void flush_window(struct ingest_buffer *buf) {
    struct batch *b = buf->head;
    while (b) { struct batch *n = b->next; free(b); b = n; }
    buf->head = buf->tail = NULL; buf->batches = buf->bytes = 0;
}

int main(int argc, char **argv) {
    long batch_kb = 256, rate = 32, window = 100000;
    for (int i = 1; i + 1 < argc; i++) {
        if (!strcmp(argv[i], "--batch-kb")) batch_kb = atol(argv[++i]);
        else if (!strcmp(argv[i], "--batches-per-sec")) rate = atol(argv[++i]);
        else if (!strcmp(argv[i], "--window-batches")) window = atol(argv[++i]);
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    struct ingest_buffer buf = {0};
    uint64_t seq = 0;
    printf("telemingest: batch=%ld KiB rate=%ld/s window=%ld batches\n", batch_kb, rate, window);
    for (;;) {
        for (long i = 0; i < rate; i++) {
            append_batch(&buf, (size_t)batch_kb << 10, ++seq);
            if ((long)buf.batches >= window) flush_window(&buf);
            usleep(1000000 / rate);
        }
        printf("telemingest: seq=%llu buffered=%zu batches %zu MiB\n", (unsigned long long)seq, buf.batches, buf.bytes >> 20);
    }
}
