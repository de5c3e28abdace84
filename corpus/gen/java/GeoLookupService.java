// GeoLookupService: IP geolocation API. GET /v1/geo?ip=a.b.c.d answers from
// an in-memory range table (sorted range starts plus a record per range with
// location and network metadata) loaded once at start-up and only read
// afterwards. Built-in HttpURLConnection clients drive it over loopback.
// Exposes JVM metrics as JSON on http://127.0.0.1:<port>/debug/vars.
//
// usage: java [jvm opts] GeoLookupService.java --http-file PATH [--ranges 900000] [--rps 300] [--clients 3]

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
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

public class GeoLookupService {
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

    static final class GeoRange {
        final long start, end;
        final String country, region, city;
        final int asn;
        final String org;
        final double lat, lon;
        final byte[] flags; // connection type, proxy/anonymiser bits, accuracy radius table
        GeoRange(long start, long end, String country, String region, String city, int asn, String org, double lat, double lon, byte[] flags) {
            this.start = start; this.end = end; this.country = country; this.region = region; this.city = city;
            this.asn = asn; this.org = org; this.lat = lat; this.lon = lon; this.flags = flags;
        }
    }

    static long[] starts;
    static GeoRange[] ranges;
    static final AtomicLong served = new AtomicLong(), misses = new AtomicLong(), clientErrors = new AtomicLong();

    static void load(int n, Random rng) {
        String[] countries = {"DE", "US", "FR", "BR", "IN", "JP", "GB", "NL", "SE", "PL", "ES", "IT", "CA", "AU", "KR"};
        starts = new long[n];
        ranges = new GeoRange[n];
        long span = (1L << 32) / n;
        for (int i = 0; i < n; i++) {
            long s = i * span;
            String c = countries[rng.nextInt(countries.length)];
            byte[] flags = new byte[48 + rng.nextInt(64)];
            rng.nextBytes(flags);
            starts[i] = s;
            // per-range strings as produced by the CSV loader (not interned)
            ranges[i] = new GeoRange(s, s + span - 1, c, new String(c + "-" + rng.nextInt(40)), "city-" + rng.nextInt(200000),
                rng.nextInt(400000), "AS-ORG-" + Integer.toString(rng.nextInt(1 << 24), 36), rng.nextDouble() * 180 - 90, rng.nextDouble() * 360 - 180, flags);
        }
    }

    static long parseIp(String ip) {
        long v = 0;
        for (String p : ip.split("\\.")) v = (v << 8) | Integer.parseInt(p);
        return v;
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
        int n = 900_000;
        double rps = 300;
        int clients = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--http-file": httpFile = args[++i]; break;
                case "--ranges": n = Integer.parseInt(args[++i]); break;
                case "--rps": rps = Double.parseDouble(args[++i]); break;
                case "--clients": clients = Integer.parseInt(args[++i]); break;
                default: throw new IllegalArgumentException(args[i]);
            }
        }
        load(n, new Random(31));
        System.out.println("loaded " + ranges.length + " ranges");
        HttpServer api = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        api.setExecutor(Executors.newFixedThreadPool(4));
        api.createContext("/v1/geo", ex -> {
            String q = ex.getRequestURI().getQuery();
            long ip = parseIp(q != null && q.startsWith("ip=") ? q.substring(3) : "0.0.0.0");
            int i = Arrays.binarySearch(starts, ip);
            if (i < 0) i = -i - 2;
            if (i < 0 || ranges[i].end < ip) { misses.incrementAndGet(); reply(ex, 404, "{\"error\":\"not found\"}"); return; }
            GeoRange r = ranges[i];
            StringBuilder sb = new StringBuilder(512);
            sb.append("{\"ip\":\"").append(q.substring(3)).append("\",\"country\":\"").append(r.country).append("\",\"region\":\"").append(r.region)
              .append("\",\"city\":\"").append(r.city).append("\",\"asn\":").append(r.asn).append(",\"org\":\"").append(r.org)
              .append("\",\"lat\":").append(r.lat).append(",\"lon\":").append(r.lon).append(",\"flags\":\"");
            for (int k = 0; k < 8; k++) sb.append(Integer.toHexString(r.flags[k] & 0xff));
            served.incrementAndGet();
            reply(ex, 200, sb.append("\"}").toString());
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
                while (true) {
                    try {
                        String ip = rng.nextInt(256) + "." + rng.nextInt(256) + "." + rng.nextInt(256) + "." + rng.nextInt(256);
                        HttpURLConnection conn = (HttpURLConnection) new URL("http://127.0.0.1:" + port + "/v1/geo?ip=" + ip).openConnection();
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
            System.out.println("served=" + served.get() + " misses=" + misses.get() + " client_errors=" + clientErrors.get());
        }
    }
}
