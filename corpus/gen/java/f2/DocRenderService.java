// DocRenderService: renders invoice documents for the billing API. A
// dispatcher thread submits render jobs to a fixed pool of render threads;
// each job lays out the invoice lines (short-lived strings and line objects)
// and writes the encoded document into output chunks taken from the render
// thread's own chunk list (a ThreadLocal, so that chunks are "reused" per
// thread without locking), then hands the finished document to the delivery
// queue. Exposes JVM metrics as JSON on http://127.0.0.1:<port>/debug/vars.
//
// usage: java [jvm opts] DocRenderService.java --http-file PATH [--jobs-per-sec 80]
//        [--threads 4] [--chunk-kb 64] [--lines 40]

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryUsage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;

public class DocRenderService {
    static final class Vars {
        static String usage(MemoryUsage u) {
            return "{\"init\":" + u.getInit() + ",\"used\":" + u.getUsed() + ",\"committed\":" + u.getCommitted() + ",\"max\":" + u.getMax() + "}";
        }

        static String q(String s) {
            return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }

        static String json() {
            StringBuilder sb = new StringBuilder();
            var mem = ManagementFactory.getMemoryMXBean();
            sb.append("{\"uptime_ms\":").append(ManagementFactory.getRuntimeMXBean().getUptime());
            sb.append(",\"heap\":").append(usage(mem.getHeapMemoryUsage()));
            sb.append(",\"non_heap\":").append(usage(mem.getNonHeapMemoryUsage()));
            sb.append(",\"memory_pools\":[");
            boolean first = true;
            for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
                if (!first) sb.append(',');
                first = false;
                sb.append("{\"name\":").append(q(p.getName())).append(",\"type\":").append(q(p.getType().name()))
                  .append(",\"usage\":").append(usage(p.getUsage())).append('}');
            }
            sb.append("],\"buffer_pools\":[");
            first = true;
            for (BufferPoolMXBean b : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
                if (!first) sb.append(',');
                first = false;
                sb.append("{\"name\":").append(q(b.getName())).append(",\"count\":").append(b.getCount())
                  .append(",\"memory_used\":").append(b.getMemoryUsed()).append(",\"total_capacity\":").append(b.getTotalCapacity()).append('}');
            }
            sb.append("],\"gc\":[");
            first = true;
            for (GarbageCollectorMXBean g : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (!first) sb.append(',');
                first = false;
                sb.append("{\"name\":").append(q(g.getName())).append(",\"count\":").append(g.getCollectionCount())
                  .append(",\"time_ms\":").append(g.getCollectionTime()).append('}');
            }
            sb.append("],\"threads\":").append(ManagementFactory.getThreadMXBean().getThreadCount());
            sb.append(",\"loaded_classes\":").append(ManagementFactory.getClassLoadingMXBean().getLoadedClassCount());
            sb.append('}');
            return sb.toString();
        }

        static void serve(String httpFile) throws Exception {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/debug/vars", ex -> {
                byte[] b = json().getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", "application/json");
                ex.sendResponseHeaders(200, b.length);
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(b);
                }
            });
            server.start();
            String addr = "127.0.0.1:" + server.getAddress().getPort();
            System.out.println("metrics on http://" + addr + "/debug/vars");
            if (httpFile != null) {
                Path tmp = Path.of(httpFile + ".tmp");
                Files.writeString(tmp, addr + "\n");
                Files.move(tmp, Path.of(httpFile), StandardCopyOption.ATOMIC_MOVE);
            }
        }
    }

    static int chunkBytes = 64 * 1024;

    // Per-thread output chunks, so render threads never contend on a shared pool.
    static final ThreadLocal<List<byte[]>> OUTPUT_CHUNKS = ThreadLocal.withInitial(ArrayList::new);

    static final AtomicLong rendered = new AtomicLong(), delivered = new AtomicLong(), bytesOut = new AtomicLong();
    static final ArrayBlockingQueue<long[]> deliveryQueue = new ArrayBlockingQueue<>(4096);

    record InvoiceLine(String sku, String description, int qty, long unitCents, String taxCode) {}

    static List<InvoiceLine> layout(long invoiceId, int lines, Random rng) {
        List<InvoiceLine> out = new ArrayList<>(lines);
        for (int i = 0; i < lines; i++) {
            out.add(new InvoiceLine("SKU-" + (100000 + rng.nextInt(900000)),
                "Service item " + invoiceId + "/" + i + " billed per unit, period 2026-03",
                1 + rng.nextInt(20), 100 + rng.nextInt(100000), rng.nextBoolean() ? "VAT20" : "VAT7"));
        }
        return out;
    }

    static byte[] newChunk() {
        byte[] c = new byte[chunkBytes];
        OUTPUT_CHUNKS.get().add(c);
        return c;
    }

    // Encodes the document into this thread's output chunks; returns a checksum of what was written.
    static long renderInvoice(long invoiceId, int lines, Random rng) {
        List<InvoiceLine> doc = layout(invoiceId, lines, rng);
        StringBuilder sb = new StringBuilder(lines * 120);
        sb.append("%PDF-1.7\n% invoice ").append(invoiceId).append('\n');
        long total = 0;
        for (InvoiceLine l : doc) {
            long amount = l.qty() * l.unitCents();
            total += amount;
            sb.append(l.sku()).append(' ').append(l.description()).append(' ').append(l.qty()).append(" x ")
              .append(l.unitCents()).append(' ').append(l.taxCode()).append(' ').append(amount).append('\n');
        }
        sb.append("TOTAL ").append(total).append("\n%%EOF\n");
        byte[] body = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] chunk = newChunk();
        // the page stream: body followed by the glyph/fill area of the page
        int n = Math.min(body.length, chunk.length);
        System.arraycopy(body, 0, chunk, 0, n);
        for (int off = n; off < chunk.length; off += 64) chunk[off] = (byte) (invoiceId + off);
        CRC32 crc = new CRC32();
        crc.update(chunk, 0, chunk.length);
        bytesOut.addAndGet(chunk.length);
        return crc.getValue();
    }

    public static void main(String[] args) throws Exception {
        String httpFile = null;
        int jobsPerSec = 80, threads = 4, lines = 40;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--http-file" -> httpFile = args[++i];
                case "--jobs-per-sec" -> jobsPerSec = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--chunk-kb" -> chunkBytes = Integer.parseInt(args[++i]) * 1024;
                case "--lines" -> lines = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown flag " + args[i]);
            }
        }
        Vars.serve(httpFile);
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r);
            t.setName("render-" + t.getId());
            return t;
        });
        Thread delivery = new Thread(() -> {
            try {
                while (true) {
                    deliveryQueue.take();
                    delivered.incrementAndGet();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "delivery");
        delivery.setDaemon(true);
        delivery.start();

        final int docLines = lines;
        long start = System.nanoTime(), lastLog = start;
        long period = 1_000_000_000L / jobsPerSec;
        long next = start;
        long id = 0;
        while (true) {
            final long invoiceId = ++id;
            pool.execute(() -> {
                Random rng = new Random(invoiceId);
                long crc = renderInvoice(invoiceId, docLines, rng);
                rendered.incrementAndGet();
                deliveryQueue.offer(new long[] {invoiceId, crc});
            });
            next += period;
            long sleep = next - System.nanoTime();
            if (sleep > 0) TimeUnit.NANOSECONDS.sleep(sleep);
            long now = System.nanoTime();
            if (now - lastLog > 5_000_000_000L) {
                lastLog = now;
                System.out.printf("rendered=%d delivered=%d out=%dMiB queue=%d%n", rendered.get(), delivered.get(),
                    bytesOut.get() >> 20, ((ThreadPoolExecutor) pool).getQueue().size());
            }
        }
    }
}
