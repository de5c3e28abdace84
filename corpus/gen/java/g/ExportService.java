// ExportService: tenant data export service. A fixed pool of export worker
// threads (all started at boot) streams each export to its sink through a
// FileChannel, writing heap ByteBuffers (ByteBuffer.wrap of the rendered
// byte[]). For a heap buffer the JDK copies the data through a temporary
// direct buffer of the write's size taken from a per-thread cache
// (sun.nio.ch.Util's BufferCache), and keeps that buffer cached in the thread
// for the next write; jdk.nio.maxCachedBufferSize is not set, so there is no
// size cap. Most exports are 8-64 KiB, but a few bulk exports (1-6 MiB) land
// on random workers: every worker ends up caching a direct buffer as large as
// the largest export it ever wrote, and the pool's native memory ratchets up.
// Exposes JVM metrics (including the "direct" buffer pool) on /debug/vars.
//
// usage: java [jvm opts] ExportService.java --http-file PATH [--workers 64]
//        [--exports-per-sec 200] [--bulk-per-sec 1.5] [--bulk-min-mb 1] [--bulk-max-mb 6]

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
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.AtomicLong;
import java.io.FileOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

public class ExportService {
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

    static final AtomicLong exports = new AtomicLong(), bulk = new AtomicLong(), bytesOut = new AtomicLong();

    static void export(int bytes, long tenant) {
        byte[] doc = new byte[bytes];
        // render: CSV rows
        byte[] row = ("tenant-" + tenant + ",order,2026-12-06T03:00:00Z,EUR,129.90,shipped\n").getBytes(StandardCharsets.US_ASCII);
        for (int off = 0; off < bytes; off += row.length) System.arraycopy(row, 0, doc, off, Math.min(row.length, bytes - off));
        try (FileOutputStream out = new FileOutputStream("/dev/null"); FileChannel ch = out.getChannel()) {
            ByteBuffer b = ByteBuffer.wrap(doc);
            while (b.hasRemaining()) bytesOut.addAndGet(ch.write(b));
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
        exports.incrementAndGet();
    }

    public static void main(String[] args) throws Exception {
        String httpFile = null;
        int workers = 64, exportsPerSec = 200;
        double bulkPerSec = 1.5;
        int bulkMinMb = 1, bulkMaxMb = 6;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--http-file" -> httpFile = args[++i];
                case "--workers" -> workers = Integer.parseInt(args[++i]);
                case "--exports-per-sec" -> exportsPerSec = Integer.parseInt(args[++i]);
                case "--bulk-per-sec" -> bulkPerSec = Double.parseDouble(args[++i]);
                case "--bulk-min-mb" -> bulkMinMb = Integer.parseInt(args[++i]);
                case "--bulk-max-mb" -> bulkMaxMb = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException(args[i]);
            }
        }
        Vars.serve(httpFile);
        ThreadPoolExecutor pool = new ThreadPoolExecutor(workers, workers, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        pool.prestartAllCoreThreads();
        Random rng = new Random(29);
        double acc = 0, bulkAcc = 0;
        long lastReport = System.nanoTime();
        while (true) {
            Thread.sleep(10);
            for (acc += exportsPerSec / 100.0; acc >= 1; acc--) {
                int size = 8192 + rng.nextInt(57345);
                long tenant = rng.nextInt(10000);
                pool.execute(() -> export(size, tenant));
            }
            for (bulkAcc += bulkPerSec / 100.0; bulkAcc >= 1; bulkAcc--) {
                int size = (bulkMinMb << 20) + rng.nextInt(((bulkMaxMb - bulkMinMb) << 20) + 1);
                long tenant = rng.nextInt(10000);
                bulk.incrementAndGet();
                pool.execute(() -> export(size, tenant));
            }
            long now = System.nanoTime();
            if (now - lastReport > 10_000_000_000L) {
                lastReport = now;
                long direct = 0;
                for (BufferPoolMXBean b : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) if (b.getName().equals("direct")) direct = b.getMemoryUsed();
                System.out.printf("exports=%d bulk=%d out=%dMiB direct=%dMiB%n", exports.get(), bulk.get(), bytesOut.get() >> 20, direct >> 20);
            }
        }
    }
}
