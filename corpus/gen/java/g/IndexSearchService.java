// IndexSearchService: full-text search node. The inverted index is a set of
// immutable segment files memory-mapped read-only (FileChannel.map, like
// Lucene's MMapDirectory); queries read postings blocks at random offsets of
// the mappings on a pool of search threads. The Java heap is small and flat;
// the segments together are several times the container's memory limit, so
// their pages are continuously faulted in, reclaimed and faulted in again.
// Exposes JVM metrics on /debug/vars.
//
// usage: java [jvm opts] IndexSearchService.java --http-file PATH --dir DIR [--threads 4]
//        [--min-pages 1] [--max-pages 4]
//        java IndexSearchService.java --mksegments --dir DIR --segments 6 --segment-mb 64

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
import java.io.RandomAccessFile;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;

public class IndexSearchService {
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

    static final AtomicLong queries = new AtomicLong(), pagesRead = new AtomicLong();

    public static void main(String[] args) throws Exception {
        String httpFile = null, dir = null;
        boolean mk = false;
        int threads = 4, minPages = 1, maxPages = 4, segments = 6, segmentMb = 64;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--http-file" -> httpFile = args[++i];
                case "--dir" -> dir = args[++i];
                case "--mksegments" -> mk = true;
                case "--segments" -> segments = Integer.parseInt(args[++i]);
                case "--segment-mb" -> segmentMb = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--min-pages" -> minPages = Integer.parseInt(args[++i]);
                case "--max-pages" -> maxPages = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException(args[i]);
            }
        }
        if (mk) {
            Files.createDirectories(Path.of(dir));
            Random rng = new Random(31);
            byte[] block = new byte[1 << 20];
            for (int s = 0; s < segments; s++) {
                try (RandomAccessFile f = new RandomAccessFile(dir + "/_" + s + ".pst", "rw")) {
                    for (int m = 0; m < segmentMb; m++) { rng.nextBytes(block); f.write(block); }
                    f.getFD().sync();
                }
            }
            return;
        }
        List<MappedByteBuffer> maps = new ArrayList<>();
        try (var ds = Files.newDirectoryStream(Path.of(dir), "*.pst")) {
            for (Path p : ds) {
                try (FileChannel ch = FileChannel.open(p)) { maps.add(ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size())); }
            }
        }
        System.out.println("mapped segments: " + maps.size());
        Vars.serve(httpFile);
        final int lo = minPages, hi = maxPages;
        for (int t = 0; t < threads; t++) {
            final long seed = 100 + t;
            Thread th = new Thread(() -> {
                Random rng = new Random(seed);
                long sink = 0;
                while (true) {
                    MappedByteBuffer m = maps.get(rng.nextInt(maps.size()));
                    int pages = lo + rng.nextInt(hi - lo + 1);
                    int limitPage = m.capacity() / 4096 - pages;
                    int base = rng.nextInt(limitPage) * 4096;
                    int[] postings = new int[pages * 64];
                    for (int p = 0; p < pages; p++) {
                        for (int k = 0; k < 64; k++) postings[p * 64 + k] = m.getInt(base + p * 4096 + k * 64);
                    }
                    for (int v : postings) sink += v;
                    pagesRead.addAndGet(pages);
                    queries.incrementAndGet();
                }
            }, "search-" + t);
            th.setDaemon(true);
            th.start();
        }
        while (true) {
            Thread.sleep(10_000);
            System.out.printf("queries=%d pages=%d%n", queries.get(), pagesRead.get());
        }
    }
}
