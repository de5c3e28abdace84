// ExposureService: counterparty exposure checks for the trading desk. Holds
// the counterparty limit table (loaded once at start, read-only afterwards)
// and answers pre-trade limit checks on worker threads. Every --batch-every
// seconds it loads the current positions snapshot (one object per position),
// recomputes the exposure per counterparty, publishes the totals and drops
// the snapshot. Exposes JVM metrics as JSON on http://127.0.0.1:<port>/debug/vars.
//
// usage: java [jvm opts] ExposureService.java --http-file PATH [--counterparties 350000]
//        [--positions 280000] [--batch-every 8] [--checks-per-sec 3000] [--workers 2]

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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

public class ExposureService {
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

    record Counterparty(int id, String lei, String name, long limitCents, byte[] ratingHistory) {}
    record Position(int counterparty, String instrument, long notionalCents, double delta, byte[] legs) {}

    static Counterparty[] table;
    static volatile long[] exposure = new long[0];
    static final AtomicLong checks = new AtomicLong(), rejects = new AtomicLong(), batches = new AtomicLong();

    static List<Position> loadSnapshot(int n, long seed) {
        Random rng = new Random(seed);
        List<Position> snap = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] legs = new byte[96 + rng.nextInt(160)];
            rng.nextBytes(legs);
            snap.add(new Position(rng.nextInt(table.length), "ISIN" + (100000000 + rng.nextInt(900000000)),
                rng.nextInt(10_000_000), rng.nextDouble(), legs));
        }
        return snap;
    }

    public static void main(String[] args) throws Exception {
        String httpFile = null;
        int counterparties = 350000, positions = 280000, batchEvery = 8, checksPerSec = 3000, workers = 2;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--http-file" -> httpFile = args[++i];
                case "--counterparties" -> counterparties = Integer.parseInt(args[++i]);
                case "--positions" -> positions = Integer.parseInt(args[++i]);
                case "--batch-every" -> batchEvery = Integer.parseInt(args[++i]);
                case "--checks-per-sec" -> checksPerSec = Integer.parseInt(args[++i]);
                case "--workers" -> workers = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown flag " + args[i]);
            }
        }
        Random rng = new Random(5);
        table = new Counterparty[counterparties];
        for (int i = 0; i < counterparties; i++) {
            byte[] hist = new byte[120];
            rng.nextBytes(hist);
            table[i] = new Counterparty(i, String.format("LEI%017d", i), "Counterparty " + i, 1_000_000L + rng.nextInt(1 << 30), hist);
        }
        exposure = new long[counterparties];
        Vars.serve(httpFile);

        final int perWorker = Math.max(1, checksPerSec / workers);
        for (int w = 0; w < workers; w++) {
            final int wid = w;
            Thread t = new Thread(() -> {
                Random r = new Random(100 + wid);
                long next = System.nanoTime();
                final int step = 50;
                long period = 1_000_000_000L * step / perWorker;
                while (true) {
                    for (int k = 0; k < step; k++) {
                        int cp = r.nextInt(table.length);
                        String req = "{\"cp\":" + cp + ",\"notional\":" + r.nextInt(1 << 24) + ",\"ccy\":\"EUR\"}";
                        Map<String, String> fields = new HashMap<>();
                        for (String kv : req.substring(1, req.length() - 1).split(",")) {
                            String[] p = kv.split(":");
                            fields.put(p[0], p[1]);
                        }
                        long notional = Long.parseLong(fields.get("\"notional\""));
                        long[] ex = exposure;
                        if (ex[cp] + notional > table[cp].limitCents()) rejects.incrementAndGet();
                        checks.incrementAndGet();
                    }
                    next += period;
                    long s = next - System.nanoTime();
                    if (s > 0) {
                        try {
                            TimeUnit.NANOSECONDS.sleep(s);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
            }, "limit-check-" + w);
            t.setDaemon(true);
            t.start();
        }

        long seed = 1;
        while (true) {
            long t0 = System.nanoTime();
            List<Position> snap = loadSnapshot(positions, seed++);
            long[] ex = new long[table.length];
            for (Position p : snap) ex[p.counterparty()] += (long) (p.notionalCents() * p.delta());
            exposure = ex;
            snap = null;
            batches.incrementAndGet();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("batch=%d positions=%d took=%dms checks=%d rejects=%d%n", batches.get(), positions, ms,
                checks.get(), rejects.get());
            long sleep = batchEvery * 1000L - ms;
            if (sleep > 0) Thread.sleep(sleep);
        }
    }
}
