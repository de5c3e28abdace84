// AuditTrailService: records audit events (who did what to which resource)
// from the platform's services, enriches them, serialises them for the
// compliance sink and keeps a history for the /v1/audit/recent query.
// Built-in producers emit --events-per-sec events on --producers threads.
// Exposes JVM metrics as JSON on http://127.0.0.1:<port>/debug/vars.
//
// usage: java [jvm opts] AuditTrailService.java --http-file PATH [--events-per-sec 2000] [--producers 2] [--history-limit 0]

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
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

public class AuditTrailService {
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

    record AuditEvent(long timestampMs, String actor, String action, String resource, String sourceIp, byte[] diff) {}

    /** History served by /v1/audit/recent; trimmed to historyLimit entries (0 = keep all). */
    static final List<AuditEvent> HISTORY = new ArrayList<>();
    static int historyLimit = 0;
    static final AtomicLong sunk = new AtomicLong(), sunkBytes = new AtomicLong();

    static final String[] ACTIONS = {"user.login", "role.grant", "secret.read", "bucket.policy.update", "vm.create", "vm.delete", "key.rotate"};

    static String serialise(AuditEvent e) {
        StringBuilder sb = new StringBuilder(256 + e.diff().length * 2);
        sb.append("{\"ts\":").append(e.timestampMs()).append(",\"actor\":\"").append(e.actor()).append("\",\"action\":\"")
          .append(e.action()).append("\",\"resource\":\"").append(e.resource()).append("\",\"ip\":\"").append(e.sourceIp())
          .append("\",\"diff\":\"");
        for (byte b : e.diff()) sb.append(Character.forDigit((b >> 4) & 15, 16)).append(Character.forDigit(b & 15, 16));
        return sb.append("\"}").toString();
    }

    static void record(AuditEvent e) {
        String line = serialise(e); // to the compliance sink
        sunk.incrementAndGet();
        sunkBytes.addAndGet(line.length());
        synchronized (HISTORY) {
            HISTORY.add(e);
            if (historyLimit > 0 && HISTORY.size() > historyLimit) HISTORY.subList(0, HISTORY.size() - historyLimit).clear();
        }
    }

    public static void main(String[] args) throws Exception {
        String httpFile = null;
        double eventsPerSec = 2000;
        int producers = 2;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--http-file": httpFile = args[++i]; break;
                case "--events-per-sec": eventsPerSec = Double.parseDouble(args[++i]); break;
                case "--producers": producers = Integer.parseInt(args[++i]); break;
                case "--history-limit": historyLimit = Integer.parseInt(args[++i]); break;
                default: throw new IllegalArgumentException(args[i]);
            }
        }
        Vars.serve(httpFile);
        final double perProducer = eventsPerSec / producers;
        for (int p = 0; p < producers; p++) {
            final int pid = p;
            Thread t = new Thread(() -> {
                Random rng = new Random(100 + pid);
                long next = System.nanoTime();
                double acc = 0;
                while (true) {
                    acc += perProducer / 100.0;
                    for (; acc >= 1; acc--) {
                        byte[] diff = new byte[512 + rng.nextInt(1536)];
                        rng.nextBytes(diff);
                        record(new AuditEvent(System.currentTimeMillis(), "svc-" + rng.nextInt(80) + "@corp",
                            ACTIONS[rng.nextInt(ACTIONS.length)], "projects/p" + rng.nextInt(5000) + "/res/" + rng.nextInt(1_000_000),
                            "10." + rng.nextInt(256) + "." + rng.nextInt(256) + "." + rng.nextInt(256), diff));
                    }
                    next += 10_000_000L;
                    long sleep = next - System.nanoTime();
                    if (sleep > 0) {
                        try { Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000)); } catch (InterruptedException e) { return; }
                    }
                }
            }, "producer-" + p);
            t.start();
        }
        while (true) {
            Thread.sleep(10_000);
            int h;
            synchronized (HISTORY) { h = HISTORY.size(); }
            System.out.println("events=" + sunk.get() + " sink_mib=" + (sunkBytes.get() >> 20) + " history=" + h);
        }
    }
}
