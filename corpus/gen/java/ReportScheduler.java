// ReportScheduler: renders tenant reports on demand. Each submitted job is
// rendered on its own worker thread (report templates are expanded
// recursively); the finished report is handed back to the requesting client
// through a SynchronousQueue, and the client waits up to --client-timeout for
// it. Rendering includes a warehouse query whose latency varies (a share of
// queries are slow). Built-in clients submit jobs at --jobs-per-sec.
// Exposes JVM metrics as JSON on http://127.0.0.1:<port>/debug/vars.
//
// usage: java [jvm opts] ReportScheduler.java --http-file PATH [--jobs-per-sec 60] [--client-timeout-ms 200] [--slow-share 0.5] [--template-depth 600]

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
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

public class ReportScheduler {
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

    static final AtomicLong rendered = new AtomicLong(), delivered = new AtomicLong(), timedOut = new AtomicLong();

    /** Expands a nested section template; depth follows the report's section tree. */
    static long expandSection(int depth, long acc, int a, int b, int c, String tenant) {
        if (depth == 0) return acc ^ tenant.hashCode();
        long x = acc * 31 + depth + a;
        long y = x ^ (b * 17L) ^ c;
        return expandSection(depth - 1, y, a + 1, b ^ depth, c + (int) (y & 7), tenant) + (x & 1);
    }

    static String render(String tenant, int depth, long queryMs, Random rng) throws InterruptedException {
        Thread.sleep(queryMs); // warehouse query
        long digest = expandSection(depth, rng.nextLong(), rng.nextInt(), rng.nextInt(), rng.nextInt(), tenant);
        StringBuilder sb = new StringBuilder(1024);
        sb.append("report tenant=").append(tenant).append(" digest=").append(Long.toHexString(digest)).append('\n');
        for (int i = 0; i < 16; i++) sb.append("row ").append(i).append(": ").append(rng.nextInt(1_000_000)).append('\n');
        return sb.toString();
    }

    public static void main(String[] args) throws Exception {
        String httpFile = null;
        double jobsPerSec = 60;
        long clientTimeoutMs = 200;
        double slowShare = 0.5;
        int depth = 600;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--http-file": httpFile = args[++i]; break;
                case "--jobs-per-sec": jobsPerSec = Double.parseDouble(args[++i]); break;
                case "--client-timeout-ms": clientTimeoutMs = Long.parseLong(args[++i]); break;
                case "--slow-share": slowShare = Double.parseDouble(args[++i]); break;
                case "--template-depth": depth = Integer.parseInt(args[++i]); break;
                default: throw new IllegalArgumentException(args[i]);
            }
        }
        Vars.serve(httpFile);
        ExecutorService clients = Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "client");
            t.setDaemon(true);
            return t;
        });
        Random rng = new Random(7);
        long perJobNs = (long) (1e9 / jobsPerSec);
        long next = System.nanoTime(), lastReport = next;
        long jobId = 0;
        final long timeout = clientTimeoutMs;
        while (true) {
            final long id = ++jobId;
            final String tenant = "tenant-" + rng.nextInt(300);
            final int jobDepth = depth / 2 + rng.nextInt(depth);
            final long queryMs = rng.nextDouble() < slowShare ? timeout + 50 + rng.nextInt(400) : 5 + rng.nextInt((int) (timeout / 4));
            final SynchronousQueue<String> handoff = new SynchronousQueue<>();
            Thread worker = new Thread(() -> {
                try {
                    String report = render(tenant, jobDepth, queryMs, new Random(id));
                    rendered.incrementAndGet();
                    handoff.put(report); // waits for the requesting client to take the result
                    delivered.incrementAndGet();
                } catch (InterruptedException e) {
                    // cancelled
                }
            }, "report-" + id);
            worker.start();
            clients.execute(() -> {
                try {
                    // requesting client: waits a bounded time for the result, then gives up
                    if (handoff.poll(timeout, TimeUnit.MILLISECONDS) == null) timedOut.incrementAndGet();
                } catch (InterruptedException e) {
                    // shutdown
                }
            });
            if (System.nanoTime() - lastReport > 10_000_000_000L) {
                lastReport = System.nanoTime();
                System.out.println("jobs=" + id + " rendered=" + rendered.get() + " delivered=" + delivered.get() + " client_timeouts=" + timedOut.get()
                    + " threads=" + Thread.activeCount());
            }
            next += perJobNs;
            long sleep = next - System.nanoTime();
            if (sleep > 0) Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
        }
    }
}
