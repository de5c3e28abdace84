// CatalogCache: product-detail API with a bounded in-process LRU cache of
// rendered product documents: a LinkedHashMap in access order whose
// removeEldestEntry evicts beyond --max-entries (120000). The service starts
// cold; product requests (6000/s over a catalogue of 2 million products, so
// most early requests miss) fill the cache with 0.6-1.2 KiB documents until it
// reaches its bound after ~20-25 s; from then on every miss evicts the least
// recently used entry, so the live set stops growing at the bound. Request
// garbage: the rendered response. Exposes JVM metrics on /debug/vars.
//
// usage: java [jvm opts] CatalogCache.java --http-file PATH [--rps 6000] [--max-entries 120000] [--products 2000000]

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
import java.util.concurrent.atomic.AtomicLong;

public class CatalogCache {
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

    record ProductDoc(String sku, String title, long priceCents, byte[] rendered) {}

    static final AtomicLong hits = new AtomicLong();
    static final AtomicLong misses = new AtomicLong();

    public static void main(String[] args) throws Exception {
        String httpFile = null;
        int rps = 6000, maxEntries = 120000, products = 2000000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--http-file" -> httpFile = args[++i];
                case "--rps" -> rps = Integer.parseInt(args[++i]);
                case "--max-entries" -> maxEntries = Integer.parseInt(args[++i]);
                case "--products" -> products = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException(args[i]);
            }
        }
        final int bound = maxEntries;
        LinkedHashMap<String, ProductDoc> cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, ProductDoc> eldest) {
                return size() > bound;
            }
        };
        Vars.serve(httpFile);
        Random rng = new Random(89);
        double acc = 0;
        long lastReport = System.nanoTime();
        while (true) {
            Thread.sleep(10);
            for (acc += rps / 100.0; acc >= 1; acc--) {
                // popularity skew: half the traffic goes to the hottest 5% of products
                int p = rng.nextBoolean() ? rng.nextInt(products / 20) : rng.nextInt(products);
                String sku = "SKU-" + p;
                ProductDoc d = cache.get(sku);
                if (d == null) {
                    misses.incrementAndGet();
                    byte[] rendered = new byte[600 + rng.nextInt(600)];
                    rng.nextBytes(rendered);
                    d = new ProductDoc(sku, "Product " + p + " title", rng.nextInt(100000), rendered);
                    cache.put(sku, d);
                } else {
                    hits.incrementAndGet();
                }
                StringBuilder sb = new StringBuilder(256 + d.rendered().length * 2);
                sb.append("{\"sku\":\"").append(d.sku()).append("\",\"price\":").append(d.priceCents()).append(",\"doc\":\"");
                for (int k = 0; k < d.rendered().length; k += 8) sb.append(Integer.toHexString(d.rendered()[k] & 0xff));
                sb.append("\"}");
                byte[] body = sb.toString().getBytes(StandardCharsets.UTF_8);
                if (body.length == 0) throw new IllegalStateException();
            }
            long now = System.nanoTime();
            if (now - lastReport > 10_000_000_000L) {
                lastReport = now;
                System.out.printf("entries=%d hits=%d misses=%d%n", cache.size(), hits.get(), misses.get());
            }
        }
    }
}
