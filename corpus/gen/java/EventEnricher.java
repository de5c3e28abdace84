// EventEnricher: consumes raw tracking events (JSON lines), parses them,
// joins them with reference tables (campaigns, devices, geo prefixes) that
// are loaded at start-up, and re-serialises the enriched event for the
// downstream topic. Work is spread over --workers threads; a built-in
// generator produces --events-per-sec raw events.
// Exposes JVM metrics as JSON on http://127.0.0.1:<port>/debug/vars.
//
// usage: java [jvm opts] EventEnricher.java --http-file PATH [--events-per-sec 60000] [--workers 2] [--campaigns 200000]

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

public class EventEnricher {
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

    record Campaign(int id, String name, String advertiser, String channel, double bidCpm) {}

    static Map<Integer, Campaign> campaigns = new HashMap<>();
    static final AtomicLong enriched = new AtomicLong(), outBytes = new AtomicLong(), dropped = new AtomicLong();

    /** Minimal flat JSON object parser (string and number values). */
    static Map<String, String> parse(String line) {
        Map<String, String> m = new LinkedHashMap<>();
        int i = line.indexOf('{') + 1;
        while (i < line.length()) {
            int ks = line.indexOf('"', i);
            if (ks < 0) break;
            int ke = line.indexOf('"', ks + 1);
            String key = line.substring(ks + 1, ke);
            int colon = line.indexOf(':', ke);
            int vs = colon + 1;
            String val;
            if (line.charAt(vs) == '"') {
                int ve = line.indexOf('"', vs + 1);
                val = line.substring(vs + 1, ve);
                i = ve + 1;
            } else {
                int ve = vs;
                while (ve < line.length() && line.charAt(ve) != ',' && line.charAt(ve) != '}') ve++;
                val = line.substring(vs, ve);
                i = ve;
            }
            m.put(key, val);
            i = line.indexOf(',', i);
            if (i < 0) break;
            i++;
        }
        return m;
    }

    static String enrich(String raw) {
        Map<String, String> ev = parse(raw);
        Campaign c = campaigns.get(Integer.parseInt(ev.getOrDefault("campaign", "0")));
        if (c != null) {
            ev.put("campaign_name", c.name());
            ev.put("advertiser", c.advertiser());
            ev.put("channel", c.channel());
            ev.put("bid_cpm", Double.toString(c.bidCpm()));
        }
        String ua = ev.getOrDefault("ua", "");
        List<String> tokens = new ArrayList<>();
        for (String t : ua.split("[ /;()]+")) if (!t.isEmpty()) tokens.add(t.toLowerCase());
        ev.put("device_class", tokens.contains("mobile") ? "mobile" : tokens.contains("tablet") ? "tablet" : "desktop");
        ev.put("ua_tokens", String.join(",", tokens));
        StringBuilder sb = new StringBuilder(raw.length() + 256);
        sb.append('{');
        boolean first = true;
        for (Map.Entry<String, String> e : ev.entrySet()) {
            if (!first) sb.append(',');
            first = false;
            sb.append('"').append(e.getKey()).append("\":\"").append(e.getValue()).append('"');
        }
        return sb.append('}').toString();
    }

    static final String[] UAS = {
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36",
        "Mozilla/5.0 (iPad; CPU OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Tablet/15E148 Safari/604.1"};

    public static void main(String[] args) throws Exception {
        String httpFile = null;
        double eventsPerSec = 60000;
        int workers = 2, nCampaigns = 200_000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--http-file": httpFile = args[++i]; break;
                case "--events-per-sec": eventsPerSec = Double.parseDouble(args[++i]); break;
                case "--workers": workers = Integer.parseInt(args[++i]); break;
                case "--campaigns": nCampaigns = Integer.parseInt(args[++i]); break;
                default: throw new IllegalArgumentException(args[i]);
            }
        }
        Random seed = new Random(13);
        String[] channels = {"search", "social", "display", "video", "affiliate"};
        for (int i = 0; i < nCampaigns; i++) {
            campaigns.put(i, new Campaign(i, "cmp-" + Integer.toString(seed.nextInt(1 << 30), 36) + "-q" + (1 + seed.nextInt(4)),
                "adv-" + seed.nextInt(5000), channels[seed.nextInt(channels.length)], 0.1 + seed.nextDouble() * 20));
        }
        System.out.println("loaded " + campaigns.size() + " campaigns");
        Vars.serve(httpFile);
        BlockingQueue<String> in = new ArrayBlockingQueue<>(4096);
        for (int w = 0; w < workers; w++) {
            Thread t = new Thread(() -> {
                while (true) {
                    try {
                        String out = enrich(in.take());
                        outBytes.addAndGet(out.length());
                        enriched.incrementAndGet();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "enricher-" + w);
            t.setDaemon(true);
            t.start();
        }
        Random rng = new Random(19);
        final int nc = nCampaigns;
        long next = System.nanoTime(), lastReport = next;
        double acc = 0;
        while (true) {
            acc += eventsPerSec / 100.0;
            for (; acc >= 1; acc--) {
                String raw = "{\"event\":\"" + (rng.nextInt(10) == 0 ? "click" : "impression") + "\",\"ts\":" + System.currentTimeMillis()
                    + ",\"campaign\":" + rng.nextInt(nc) + ",\"user\":\"" + Long.toHexString(rng.nextLong()) + "\",\"ip\":\"" + rng.nextInt(256) + "." + rng.nextInt(256) + ".0.1\""
                    + ",\"ua\":\"" + UAS[rng.nextInt(UAS.length)] + "\",\"page\":\"https://news.example.com/article/" + rng.nextInt(100000) + "\"}";
                if (!in.offer(raw)) dropped.incrementAndGet();
            }
            if (System.nanoTime() - lastReport > 10_000_000_000L) {
                lastReport = System.nanoTime();
                System.out.println("enriched=" + enriched.get() + " dropped=" + dropped.get() + " out_mib=" + (outBytes.get() >> 20));
            }
            next += 10_000_000L;
            long sleep = next - System.nanoTime();
            if (sleep > 0) Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
        }
    }
}
