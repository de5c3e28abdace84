// RuleEvalService: policy/rule evaluation service. A fixed pool of worker
// threads (all started at boot, -Xss16m so that deeply nested policy
// documents do not overflow) evaluates JSON-like policy documents with a
// recursive-descent evaluator. Most documents nest 20-60 levels; a few
// (generated policies from one tenant) nest tens of thousands of levels, and
// the recursion touches megabytes of the worker thread's stack. A thread
// stack page, once touched, stays resident for the life of the thread: as the
// deep documents land on more and more workers, the resident thread stacks
// (native memory, NMT "Thread") ratchet up while the Java heap, the thread
// count and everything else stay flat. Exposes JVM metrics on /debug/vars.
//
// usage: java [jvm opts] RuleEvalService.java --http-file PATH [--workers 128] [--docs-per-sec 2000] [--deep-per-sec 3] [--deep-depth 30000]

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

public class RuleEvalService {
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

    static final AtomicLong evaluated = new AtomicLong();
    static final AtomicLong deep = new AtomicLong();
    static final AtomicLong overflow = new AtomicLong();

    // recursive-descent evaluation of a nested policy: each level is an
    // "all-of" node with a few scalar conditions and one nested child
    static long eval(int depth, long seed, int maxDepth) {
        long a = seed * 6364136223846793005L + 1442695040888963407L;
        long b = a ^ (a >>> 29);
        long c = b * 0x9E3779B97F4A7C15L;
        double score = (c & 0xffff) / 65536.0;
        if (depth >= maxDepth) return c;
        long child = eval(depth + 1, c, maxDepth);
        return child ^ (score > 0.5 ? a : b) ^ depth;
    }

    public static void main(String[] args) throws Exception {
        String httpFile = null;
        int workers = 128, docsPerSec = 2000, deepDepth = 30000;
        double deepPerSec = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--http-file" -> httpFile = args[++i];
                case "--workers" -> workers = Integer.parseInt(args[++i]);
                case "--docs-per-sec" -> docsPerSec = Integer.parseInt(args[++i]);
                case "--deep-per-sec" -> deepPerSec = Double.parseDouble(args[++i]);
                case "--deep-depth" -> deepDepth = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException(args[i]);
            }
        }
        final int dd = deepDepth;
        // one queue per worker: documents are routed to a worker by tenant hash
        List<BlockingQueue<int[]>> queues = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            BlockingQueue<int[]> q = new LinkedBlockingQueue<>();
            queues.add(q);
            Thread t = new Thread(() -> {
                while (true) {
                    int[] doc;
                    try {
                        doc = q.take();
                    } catch (InterruptedException e) {
                        return;
                    }
                    try {
                        long r = eval(0, doc[1], doc[0]);
                        if (r == 42) System.out.print("");
                        evaluated.incrementAndGet();
                    } catch (StackOverflowError e) {
                        overflow.incrementAndGet();
                    }
                }
            }, "rule-worker-" + w);
            t.setDaemon(true);
            t.start();
        }
        Vars.serve(httpFile);
        Random rng = new Random(53);
        double acc = 0, dacc = 0;
        long lastReport = System.nanoTime();
        while (true) {
            Thread.sleep(10);
            for (acc += docsPerSec / 100.0; acc >= 1; acc--) {
                queues.get(rng.nextInt(workers)).add(new int[] {20 + rng.nextInt(40), rng.nextInt()});
            }
            for (dacc += deepPerSec / 100.0; dacc >= 1; dacc--) {
                queues.get(rng.nextInt(workers)).add(new int[] {dd / 2 + rng.nextInt(dd / 2 + 1), rng.nextInt()});
                deep.incrementAndGet();
            }
            long now = System.nanoTime();
            if (now - lastReport > 10_000_000_000L) {
                lastReport = now;
                System.out.printf("evaluated=%d deep=%d overflow=%d%n", evaluated.get(), deep.get(), overflow.get());
            }
        }
    }
}
