// LogArchiveService: receives log batches from tenant agents and archives
// them as compressed segments. Each upload gets a SegmentWriter with its own
// java.util.zip.Deflater; the writer is kept in the upload table after the
// segment is finished so that a retried upload with the same id can be
// acknowledged without recompressing. Built-in agents upload at --uploads-per-sec.
// Exposes JVM metrics as JSON on http://127.0.0.1:<port>/debug/vars.
//
// usage: java [jvm opts] LogArchiveService.java --http-file PATH [--uploads-per-sec 25] [--batch-kib 96] [--retry-share 0.05]

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

public class LogArchiveService {
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

    /** Compresses one upload into a segment (the compressed bytes go to the object store). */
    static final class SegmentWriter {
        final String uploadId;
        final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        final CRC32 crc = new CRC32();
        long rawBytes, storedBytes;
        boolean finished;
        SegmentWriter(String uploadId) { this.uploadId = uploadId; }

        void write(byte[] chunk, byte[] out) {
            crc.update(chunk);
            rawBytes += chunk.length;
            deflater.setInput(chunk);
            while (!deflater.needsInput()) storedBytes += deflater.deflate(out);
        }

        void finish(byte[] out) {
            deflater.finish();
            while (!deflater.finished()) storedBytes += deflater.deflate(out);
            finished = true;
        }
    }

    static final String[] LEVELS = {"INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR"};
    static final String[] COMPONENTS = {"http", "db.pool", "auth", "scheduler", "cache", "billing", "kafka.consumer"};

    static byte[] logChunk(Random rng, int bytes) {
        StringBuilder sb = new StringBuilder(bytes + 256);
        while (sb.length() < bytes) {
            sb.append("2025-11-0").append(1 + rng.nextInt(9)).append('T').append(10 + rng.nextInt(13)).append(':')
              .append(10 + rng.nextInt(50)).append(':').append(10 + rng.nextInt(50)).append('.').append(rng.nextInt(1000))
              .append("Z ").append(LEVELS[rng.nextInt(LEVELS.length)]).append(' ').append(COMPONENTS[rng.nextInt(COMPONENTS.length)])
              .append(" request_id=").append(Long.toHexString(rng.nextLong())).append(" latency_ms=").append(rng.nextInt(900))
              .append(" status=").append(rng.nextInt(8) == 0 ? 500 : 200).append(" user=u").append(rng.nextInt(50000)).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static void main(String[] args) throws Exception {
        String httpFile = null;
        double uploadsPerSec = 25;
        int batchKiB = 96;
        double retryShare = 0.05;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--http-file": httpFile = args[++i]; break;
                case "--uploads-per-sec": uploadsPerSec = Double.parseDouble(args[++i]); break;
                case "--batch-kib": batchKiB = Integer.parseInt(args[++i]); break;
                case "--retry-share": retryShare = Double.parseDouble(args[++i]); break;
                default: throw new IllegalArgumentException(args[i]);
            }
        }
        Vars.serve(httpFile);
        Map<String, SegmentWriter> uploads = new HashMap<>();
        List<String> recentIds = new ArrayList<>();
        Random rng = new Random(17);
        byte[] out = new byte[32 * 1024];
        long perUploadNs = (long) (1e9 / uploadsPerSec);
        long next = System.nanoTime(), lastReport = next;
        long seq = 0, retries = 0, raw = 0, stored = 0;
        while (true) {
            if (!recentIds.isEmpty() && rng.nextDouble() < retryShare) {
                // agent retried an upload whose ack it did not see
                SegmentWriter w = uploads.get(recentIds.get(recentIds.size() - 1 - rng.nextInt(Math.min(50, recentIds.size()))));
                if (w != null && w.finished) retries++;
            } else {
                String id = "agent-" + rng.nextInt(200) + "-" + (++seq);
                SegmentWriter w = new SegmentWriter(id);
                uploads.put(id, w);
                recentIds.add(id);
                int remaining = batchKiB * 1024;
                while (remaining > 0) {
                    int n = Math.min(remaining, 16 * 1024);
                    w.write(logChunk(rng, n), out);
                    remaining -= n;
                }
                w.finish(out);
                raw += w.rawBytes;
                stored += w.storedBytes;
            }
            if (System.nanoTime() - lastReport > 10_000_000_000L) {
                lastReport = System.nanoTime();
                System.out.println("segments=" + seq + " retries_acked=" + retries + " raw_mib=" + (raw >> 20) + " stored_mib=" + (stored >> 20));
            }
            next += perUploadNs;
            long sleep = next - System.nanoTime();
            if (sleep > 0) Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
        }
    }
}
