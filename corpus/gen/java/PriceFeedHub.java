// PriceFeedHub: streams price updates to client subscriptions. A client
// subscribes to a set of instruments; the hub registers a QuoteListener
// that renders matching updates into the subscription's outbound buffer.
// Subscriptions are short-lived (clients poll for a while, then close).
// A ticker publishes --ticks-per-sec updates to all registered listeners;
// built-in clients open --subs-per-sec subscriptions.
// Exposes JVM metrics as JSON on http://127.0.0.1:<port>/debug/vars.
//
// usage: java [jvm opts] PriceFeedHub.java --http-file PATH [--subs-per-sec 120] [--ticks-per-sec 20] [--sub-lifetime-ms 2000]

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
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

public class PriceFeedHub {
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

    interface QuoteListener {
        void onQuote(String instrument, long bid, long ask, long ts);
    }

    static final class Subscription {
        final long id;
        final String clientId;
        final Set<String> instruments = new HashSet<>();
        final StringBuilder outbound = new StringBuilder(2048);
        final long openedAt = System.nanoTime();
        volatile boolean closed;
        long delivered;
        Subscription(long id, String clientId) { this.id = id; this.clientId = clientId; }
        void close() { closed = true; }
    }

    static final class QuoteHub {
        final CopyOnWriteArrayList<QuoteListener> listeners = new CopyOnWriteArrayList<>();
        void addListener(QuoteListener l) { listeners.add(l); }
        void removeListener(QuoteListener l) { listeners.remove(l); }
        void publish(String instrument, long bid, long ask, long ts) {
            for (QuoteListener l : listeners) l.onQuote(instrument, bid, ask, ts);
        }
    }

    static final String[] INSTRUMENTS = new String[400];
    static final AtomicLong opened = new AtomicLong(), closedCount = new AtomicLong(), delivered = new AtomicLong();

    static Subscription subscribe(QuoteHub hub, long id, Random rng) {
        Subscription s = new Subscription(id, "client-" + rng.nextInt(5000));
        int n = 8 + rng.nextInt(24);
        for (int i = 0; i < n; i++) s.instruments.add(INSTRUMENTS[rng.nextInt(INSTRUMENTS.length)]);
        hub.addListener((instrument, bid, ask, ts) -> {
            if (s.closed || !s.instruments.contains(instrument)) return;
            if (s.outbound.length() > 1536) s.outbound.setLength(0); // flushed to the client
            s.outbound.append("{\"i\":\"").append(instrument).append("\",\"b\":").append(bid).append(",\"a\":").append(ask).append(",\"t\":").append(ts).append("}\n");
            s.delivered++;
            delivered.incrementAndGet();
        });
        opened.incrementAndGet();
        return s;
    }

    public static void main(String[] args) throws Exception {
        String httpFile = null;
        double subsPerSec = 120;
        int ticksPerSec = 20;
        long lifetimeMs = 2000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--http-file": httpFile = args[++i]; break;
                case "--subs-per-sec": subsPerSec = Double.parseDouble(args[++i]); break;
                case "--ticks-per-sec": ticksPerSec = Integer.parseInt(args[++i]); break;
                case "--sub-lifetime-ms": lifetimeMs = Long.parseLong(args[++i]); break;
                default: throw new IllegalArgumentException(args[i]);
            }
        }
        for (int i = 0; i < INSTRUMENTS.length; i++) INSTRUMENTS[i] = "XS" + (100000000 + i * 7919);
        Vars.serve(httpFile);
        QuoteHub hub = new QuoteHub();
        final int tps = ticksPerSec;
        Thread ticker = new Thread(() -> {
            Random rng = new Random(3);
            long next = System.nanoTime();
            while (true) {
                long ts = System.currentTimeMillis();
                for (int k = 0; k < 40; k++) {
                    long bid = 10_000 + rng.nextInt(5000);
                    hub.publish(INSTRUMENTS[rng.nextInt(INSTRUMENTS.length)], bid, bid + 1 + rng.nextInt(5), ts);
                }
                next += 1_000_000_000L / tps;
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    try { Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000)); } catch (InterruptedException e) { return; }
                }
            }
        }, "ticker");
        ticker.setDaemon(true);
        ticker.start();

        Random rng = new Random(11);
        ArrayDeque<Subscription> open = new ArrayDeque<>();
        long perSubNs = (long) (1e9 / subsPerSec);
        long lifetimeNs = lifetimeMs * 1_000_000L;
        long next = System.nanoTime(), lastReport = next, id = 0;
        while (true) {
            open.add(subscribe(hub, ++id, rng));
            while (!open.isEmpty() && System.nanoTime() - open.peek().openedAt > lifetimeNs) {
                open.poll().close();
                closedCount.incrementAndGet();
            }
            if (System.nanoTime() - lastReport > 10_000_000_000L) {
                lastReport = System.nanoTime();
                System.out.println("opened=" + opened.get() + " closed=" + closedCount.get() + " open=" + open.size() + " listeners=" + hub.listeners.size() + " delivered=" + delivered.get());
            }
            next += perSubNs;
            long sleep = next - System.nanoTime();
            if (sleep > 0) Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
        }
    }
}
