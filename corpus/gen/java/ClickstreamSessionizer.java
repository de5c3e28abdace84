// ClickstreamSessionizer: groups page-view events from --partitions input
// partitions into user sessions. A session is emitted (and dropped from the
// open-session table) once the event-time watermark, the minimum of the
// partitions' latest event times, passes its last event plus the session gap.
// Built-in partition readers generate --events-per-sec events.
// Exposes JVM metrics as JSON on http://127.0.0.1:<port>/debug/vars.
//
// usage: java [jvm opts] ClickstreamSessionizer.java --http-file PATH [--events-per-sec 20000] [--partitions 8] [--idle-partitions 1] [--users 2000000]

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
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;

public class ClickstreamSessionizer {
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

    record PageView(long eventTimeMs, String url, String referrer, int dwellMs) {}

    static final class Session {
        final String userId;
        final List<PageView> views = new ArrayList<>();
        long lastEventMs;
        Session(String userId) { this.userId = userId; }
    }

    static final String[] PATHS = {"/", "/search", "/product/", "/cart", "/checkout", "/account", "/help/", "/category/"};

    public static void main(String[] args) throws Exception {
        String httpFile = null;
        double eventsPerSec = 20000;
        int partitions = 8, idlePartitions = 1, users = 2_000_000;
        long sessionGapMs = 30 * 60_000L;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--http-file": httpFile = args[++i]; break;
                case "--events-per-sec": eventsPerSec = Double.parseDouble(args[++i]); break;
                case "--partitions": partitions = Integer.parseInt(args[++i]); break;
                case "--idle-partitions": idlePartitions = Integer.parseInt(args[++i]); break;
                case "--users": users = Integer.parseInt(args[++i]); break;
                default: throw new IllegalArgumentException(args[i]);
            }
        }
        Vars.serve(httpFile);
        Map<String, Session> open = new HashMap<>();
        long[] partitionTime = new long[partitions];
        Random rng = new Random(5);
        // replay of an event log: event time runs 60x faster than wall time
        long eventClock = 1_760_000_000_000L;
        long next = System.nanoTime(), lastReport = next;
        long events = 0, emitted = 0, emittedViews = 0;
        double acc = 0;
        int tick = 0;
        while (true) {
            acc += eventsPerSec / 100.0;
            eventClock += 600; // 10 ms wall = 600 ms event time
            for (; acc >= 1; acc--) {
                int p = idlePartitions + rng.nextInt(partitions - idlePartitions);
                long t = eventClock - rng.nextInt(2000);
                partitionTime[p] = Math.max(partitionTime[p], t);
                String user = "u" + Integer.toString(rng.nextInt(users), 36);
                Session s = open.computeIfAbsent(user, Session::new);
                String url = PATHS[rng.nextInt(PATHS.length)] + Integer.toString(rng.nextInt(1 << 20), 36) + "?utm_source=" + (rng.nextInt(4) == 0 ? "ads" : "organic");
                s.views.add(new PageView(t, url, s.views.isEmpty() ? "https://www.google.com/" : null, rng.nextInt(90_000)));
                s.lastEventMs = Math.max(s.lastEventMs, t);
                events++;
            }
            if (++tick % 100 == 0) {
                long watermark = Long.MAX_VALUE;
                for (long pt : partitionTime) watermark = Math.min(watermark, pt);
                for (Iterator<Session> it = open.values().iterator(); it.hasNext(); ) {
                    Session s = it.next();
                    if (s.lastEventMs + sessionGapMs < watermark) {
                        emitted++;
                        emittedViews += s.views.size();
                        it.remove();
                    }
                }
            }
            if (System.nanoTime() - lastReport > 5_000_000_000L) {
                lastReport = System.nanoTime();
                System.out.println("events=" + events + " open_sessions=" + open.size() + " emitted=" + emitted + " emitted_views=" + emittedViews);
            }
            next += 10_000_000L;
            long sleep = next - System.nanoTime();
            if (sleep > 0) Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
        }
    }
}
