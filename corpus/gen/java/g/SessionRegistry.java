// SessionRegistry: WebSocket push gateway. Every connection's Session is
// registered in a WeakHashMap<Session, SessionMeta> "so that the registry
// entry disappears on its own when the connection object is dropped". But
// SessionMeta keeps a back-reference to its Session (meta.owner, used for
// routing pushes), and WeakHashMap values are strongly reachable from the map:
// the key stays strongly reachable through its own value, so no entry is ever
// expunged. Each meta holds the decoded auth claims and the topic
// subscription list (~2 KiB). Exposes JVM metrics on /debug/vars.
//
// usage: java [jvm opts] SessionRegistry.java --http-file PATH [--connects-per-sec 1500]
//        [--claims-bytes 1024] [--topics 12]

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

public class SessionRegistry {
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

    static final class Session {
        final long id;
        final String remote;
        volatile boolean open = true;
        Session(long id, String remote) { this.id = id; this.remote = remote; }
    }

    static final class SessionMeta {
        final Session owner; // back-reference used to route pushes - keeps the weak key alive
        final byte[] claims;
        final List<String> topics;
        final long connectedAt;
        SessionMeta(Session owner, byte[] claims, List<String> topics) {
            this.owner = owner; this.claims = claims; this.topics = topics; this.connectedAt = System.nanoTime();
        }
    }

    static final Map<Session, SessionMeta> REGISTRY = Collections.synchronizedMap(new WeakHashMap<>());
    static final AtomicLong connects = new AtomicLong(), disconnects = new AtomicLong(), pushes = new AtomicLong();

    public static void main(String[] args) throws Exception {
        String httpFile = null;
        int connectsPerSec = 1500, claimsBytes = 1024, topics = 12;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--http-file" -> httpFile = args[++i];
                case "--connects-per-sec" -> connectsPerSec = Integer.parseInt(args[++i]);
                case "--claims-bytes" -> claimsBytes = Integer.parseInt(args[++i]);
                case "--topics" -> topics = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException(args[i]);
            }
        }
        Vars.serve(httpFile);
        Random rng = new Random(23);
        // live connections: short-lived (seconds); the connection object is dropped on disconnect
        ArrayDeque<Session> live = new ArrayDeque<>();
        long seq = 0;
        long start = System.nanoTime(), lastReport = start;
        double acc = 0;
        while (true) {
            Thread.sleep(10);
            for (acc += connectsPerSec / 100.0; acc >= 1; acc--) {
                Session s = new Session(++seq, "10." + rng.nextInt(256) + "." + rng.nextInt(256) + "." + rng.nextInt(256) + ":" + (1024 + rng.nextInt(60000)));
                byte[] claims = new byte[claimsBytes / 2 + rng.nextInt(claimsBytes)];
                rng.nextBytes(claims);
                List<String> subs = new ArrayList<>(topics);
                for (int t = 0; t < topics; t++) subs.add("orders/" + rng.nextInt(5000) + "/status");
                REGISTRY.put(s, new SessionMeta(s, claims, subs));
                live.addLast(s);
                connects.incrementAndGet();
                // handshake / push garbage
                StringBuilder sb = new StringBuilder(512);
                for (int k = 0; k < 8; k++) sb.append("{\"topic\":\"").append(subs.get(k % subs.size())).append("\",\"seq\":").append(k).append('}');
                pushes.addAndGet(sb.length() > 0 ? 1 : 0);
            }
            while (live.size() > 3000) { // disconnect: the gateway drops its reference
                Session s = live.removeFirst();
                s.open = false;
                disconnects.incrementAndGet();
            }
            long now = System.nanoTime();
            if (now - lastReport > 10_000_000_000L) {
                lastReport = now;
                System.out.printf("connects=%d disconnects=%d registry=%d%n", connects.get(), disconnects.get(), REGISTRY.size());
            }
        }
    }
}
