// FareQuoteService: airline fare quote API. GET /v1/fares?origin=..&dest=..
// prices an itinerary from the fare tables and returns the quote as JSON.
// Responses are memoised per X-Request-Id so that a client retry gets the
// identical quote. Built-in HttpURLConnection clients drive it over
// loopback at --rps.
// Exposes JVM metrics as JSON on http://127.0.0.1:<port>/debug/vars.
//
// usage: java [jvm opts] FareQuoteService.java --http-file PATH [--rps 400] [--clients 3] [--fare-classes 24]

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryUsage;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

public class FareQuoteService {
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

    static final String[] AIRPORTS = {"FRA", "MUC", "LHR", "CDG", "AMS", "MAD", "FCO", "JFK", "SFO", "ORD", "NRT", "SIN", "DXB", "GRU", "SYD"};
    static final Map<String, String> quoteCache = new HashMap<>();
    static final AtomicLong served = new AtomicLong(), cacheHits = new AtomicLong(), clientErrors = new AtomicLong();

    static Map<String, String> query(String q) {
        Map<String, String> m = new HashMap<>();
        if (q == null) return m;
        for (String kv : q.split("&")) {
            int i = kv.indexOf('=');
            if (i > 0) m.put(kv.substring(0, i), kv.substring(i + 1));
        }
        return m;
    }

    static String price(String origin, String dest, int fareClasses, Random rng) {
        StringBuilder sb = new StringBuilder(4096);
        sb.append("{\"origin\":\"").append(origin).append("\",\"dest\":\"").append(dest).append("\",\"currency\":\"EUR\",\"fares\":[");
        int base = 80 + Math.abs((origin + dest).hashCode() % 900);
        for (int i = 0; i < fareClasses; i++) {
            if (i > 0) sb.append(',');
            sb.append("{\"class\":\"").append((char) ('A' + i)).append("\",\"amount\":").append(base + i * 37 + rng.nextInt(20))
              .append(",\"taxes\":").append(20 + rng.nextInt(120)).append(",\"seats\":").append(rng.nextInt(9))
              .append(",\"refundable\":").append(i % 3 == 0).append(",\"baggage\":\"").append(i % 2 == 0 ? "1PC" : "0PC")
              .append("\",\"rules\":\"ADV").append(rng.nextInt(30)).append("/MIN").append(rng.nextInt(7)).append("/CHG").append(rng.nextInt(200)).append("\"}");
        }
        return sb.append("]}").toString();
    }

    static void reply(HttpExchange ex, int code, String body) throws java.io.IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(code, b.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(b);
        }
    }

    public static void main(String[] args) throws Exception {
        String httpFile = null;
        double rps = 400;
        int clients = 3;
        int fareClasses = 24;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--http-file": httpFile = args[++i]; break;
                case "--rps": rps = Double.parseDouble(args[++i]); break;
                case "--clients": clients = Integer.parseInt(args[++i]); break;
                case "--fare-classes": fareClasses = Integer.parseInt(args[++i]); break;
                default: throw new IllegalArgumentException(args[i]);
            }
        }
        final int classes = fareClasses;
        HttpServer api = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        api.setExecutor(Executors.newFixedThreadPool(4));
        api.createContext("/v1/fares", ex -> {
            String reqId = ex.getRequestHeaders().getFirst("X-Request-Id");
            Map<String, String> q = query(ex.getRequestURI().getQuery());
            String body;
            synchronized (quoteCache) { body = reqId == null ? null : quoteCache.get(reqId); }
            if (body != null) {
                cacheHits.incrementAndGet();
            } else {
                body = price(q.getOrDefault("origin", "FRA"), q.getOrDefault("dest", "JFK"), classes, new Random());
                if (reqId != null) synchronized (quoteCache) { quoteCache.put(reqId, body); }
            }
            served.incrementAndGet();
            reply(ex, 200, body);
        });
        api.start();
        int port = api.getAddress().getPort();
        Vars.serve(httpFile);

        final long perClientNs = (long) (1e9 * clients / rps);
        for (int c = 0; c < clients; c++) {
            final int id = c;
            Thread t = new Thread(() -> {
                Random rng = new Random(1000 + id);
                long next = System.nanoTime();
                byte[] buf = new byte[8192];
                String lastId = null;
                while (true) {
                    try {
                        String path = "/v1/fares?origin=" + AIRPORTS[rng.nextInt(AIRPORTS.length)] + "&dest=" + AIRPORTS[rng.nextInt(AIRPORTS.length)];
                        HttpURLConnection conn = (HttpURLConnection) new URL("http://127.0.0.1:" + port + path).openConnection();
                        // 1 in 50 requests is a retry of the previous one
                        String reqId = lastId != null && rng.nextInt(50) == 0 ? lastId : UUID.randomUUID().toString();
                        conn.setRequestProperty("X-Request-Id", reqId);
                        lastId = reqId;
                        try (InputStream in = conn.getInputStream()) { while (in.read(buf) > 0) { } }
                    } catch (Exception e) {
                        clientErrors.incrementAndGet();
                    }
                    next += perClientNs;
                    long sleep = next - System.nanoTime();
                    if (sleep > 0) {
                        try { Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000)); } catch (InterruptedException e) { return; }
                    }
                }
            }, "client-" + c);
            t.setDaemon(true);
            t.start();
        }
        while (true) {
            Thread.sleep(10_000);
            int n;
            synchronized (quoteCache) { n = quoteCache.size(); }
            System.out.println("served=" + served.get() + " cache_hits=" + cacheHits.get() + " cached=" + n + " client_errors=" + clientErrors.get());
        }
    }
}
