// RatingService: product rating/review aggregation API. Deployed with a fixed
// heap (-Xms = -Xmx) and -XX:+AlwaysPreTouch, so every heap page is touched
// at JVM start: RSS and cgroup usage sit near the whole heap size from the
// first second, while the live data (a ~40 MiB product rating table) and the
// request garbage use a fraction of it. Heap after GC, RSS, threads and NMT
// are flat. Exposes JVM metrics on /debug/vars.
//
// usage: java [jvm opts] RatingService.java --http-file PATH [--products 300000] [--rps 3000]

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

public class RatingService {
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

    record Rating(long productId, float avg, int count, int[] histogram, String badge) {}

    static final AtomicLong served = new AtomicLong();

    public static void main(String[] args) throws Exception {
        String httpFile = null;
        int products = 300000, rps = 3000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--http-file" -> httpFile = args[++i];
                case "--products" -> products = Integer.parseInt(args[++i]);
                case "--rps" -> rps = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException(args[i]);
            }
        }
        Random rng = new Random(37);
        HashMap<Long, Rating> table = new HashMap<>(products * 2);
        String[] badges = {"top", "new", "trending", "", "staff-pick"};
        for (int i = 0; i < products; i++) {
            int[] h = new int[5];
            for (int k = 0; k < 5; k++) h[k] = rng.nextInt(1000);
            table.put((long) i, new Rating(i, rng.nextFloat() * 5, rng.nextInt(5000), h, badges[rng.nextInt(badges.length)]));
        }
        Vars.serve(httpFile);
        double acc = 0;
        long lastReport = System.nanoTime();
        while (true) {
            Thread.sleep(10);
            for (acc += rps / 100.0; acc >= 1; acc--) {
                StringBuilder sb = new StringBuilder(2048);
                sb.append('[');
                for (int k = 0; k < 20; k++) {
                    Rating r = table.get((long) rng.nextInt(products));
                    sb.append("{\"id\":").append(r.productId()).append(",\"avg\":").append(r.avg()).append(",\"n\":").append(r.count())
                      .append(",\"badge\":\"").append(r.badge()).append("\"},");
                }
                sb.append(']');
                byte[] body = sb.toString().getBytes(StandardCharsets.UTF_8);
                if (body.length > 0) served.incrementAndGet();
            }
            long now = System.nanoTime();
            if (now - lastReport > 10_000_000_000L) {
                lastReport = now;
                System.out.printf("served=%d%n", served.get());
            }
        }
    }
}
