// CheckoutTimeouts: checkout orchestration service. Every checkout request
// schedules a guard task on a shared java.util.Timer that would fail the
// request if it were still running after 10 minutes; when the request
// completes (a few ms later) the handler cancels the guard with
// TimerTask.cancel(). A cancelled TimerTask is only marked CANCELLED: it stays
// in the Timer's task queue until its 10-minute delay expires or someone calls
// Timer.purge(), which this service never does - and each guard (a TimerTask
// subclass) holds the request context it would fail (cart lines, headers, a
// 1-3 KiB serialized cart). The queue grows by one task per request; the heap
// fills towards -Xmx. Exposes JVM metrics on /debug/vars.
//
// usage: java [jvm opts] CheckoutTimeouts.java --http-file PATH [--rps 1500] [--cart-bytes 2048] [--timeout-min 10]

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

public class CheckoutTimeouts {
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

    record CartLine(String sku, int qty, long priceCents, String promo) {}

    static final class RequestContext {
        final String requestId;
        final Map<String, String> headers = new HashMap<>();
        final List<CartLine> lines = new ArrayList<>();
        final byte[] serializedCart;
        volatile boolean done;

        RequestContext(String id, byte[] cart) {
            requestId = id;
            serializedCart = cart;
        }
    }

    static final class CheckoutGuard extends TimerTask {
        final RequestContext ctx;

        CheckoutGuard(RequestContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public void run() {
            if (!ctx.done) timedOut.incrementAndGet();
        }
    }

    static final AtomicLong served = new AtomicLong();
    static final AtomicLong cancelled = new AtomicLong();
    static final AtomicLong timedOut = new AtomicLong();

    public static void main(String[] args) throws Exception {
        String httpFile = null;
        int rps = 1500, cartBytes = 2048, timeoutMin = 10;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--http-file" -> httpFile = args[++i];
                case "--rps" -> rps = Integer.parseInt(args[++i]);
                case "--cart-bytes" -> cartBytes = Integer.parseInt(args[++i]);
                case "--timeout-min" -> timeoutMin = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException(args[i]);
            }
        }
        Timer guards = new Timer("checkout-guards", true);
        // a periodic guards.purge() is what was missing
        Vars.serve(httpFile);
        Random rng = new Random(41);
        String[] promos = {"", "", "WINTER10", "FREESHIP", "BUNDLE3"};
        double acc = 0;
        long lastReport = System.nanoTime();
        long id = 0;
        while (true) {
            Thread.sleep(10);
            for (acc += rps / 100.0; acc >= 1; acc--) {
                byte[] cart = new byte[cartBytes / 2 + rng.nextInt(cartBytes)];
                rng.nextBytes(cart);
                RequestContext ctx = new RequestContext("req-" + Long.toHexString(++id) + "-" + Integer.toHexString(rng.nextInt()), cart);
                ctx.headers.put("x-request-id", ctx.requestId);
                ctx.headers.put("user-agent", "shop-app/7." + rng.nextInt(20) + " (iOS 18." + rng.nextInt(5) + ")");
                ctx.headers.put("x-session", Long.toHexString(rng.nextLong()));
                for (int k = 0, n = 1 + rng.nextInt(6); k < n; k++) {
                    ctx.lines.add(new CartLine("SKU-" + rng.nextInt(1_000_000), 1 + rng.nextInt(3), rng.nextInt(20000), promos[rng.nextInt(promos.length)]));
                }
                CheckoutGuard guard = new CheckoutGuard(ctx);
                guards.schedule(guard, timeoutMin * 60_000L);
                // process: price the cart, render the confirmation (short-lived garbage)
                StringBuilder sb = new StringBuilder(1024);
                long total = 0;
                for (CartLine l : ctx.lines) {
                    total += l.qty() * l.priceCents();
                    sb.append("{\"sku\":\"").append(l.sku()).append("\",\"qty\":").append(l.qty()).append("},");
                }
                sb.append("{\"total\":").append(total).append('}');
                byte[] body = sb.toString().getBytes(StandardCharsets.UTF_8);
                ctx.done = body.length > 0;
                if (guard.cancel()) cancelled.incrementAndGet();
                served.incrementAndGet();
            }
            long now = System.nanoTime();
            if (now - lastReport > 10_000_000_000L) {
                lastReport = now;
                System.out.printf("served=%d cancelled_guards=%d timed_out=%d%n", served.get(), cancelled.get(), timedOut.get());
            }
        }
    }
}
