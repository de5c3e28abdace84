// EventReplicator: change-event replication sidecar. Every domain event
// (order/inventory changes: an id, a timestamp, a 4-entry attribute HashMap
// and a 0.5-1.5 KiB serialized payload) is shipped to the standby replica
// over ONE long-lived TCP connection with java.io.ObjectOutputStream
// writeObject. ObjectOutputStream keeps a handle table of every object it has
// written (so that a repeated object can be sent as a back-reference) until
// reset() is called; the sidecar never calls reset() - only flush() - so the
// stream's handle table keeps every event ever replicated, with its HashMap,
// strings and payload array, strongly reachable. The replica reads and
// discards. Exposes JVM metrics on /debug/vars.
//
// usage: java [jvm opts] EventReplicator.java --http-file PATH [--eps 1500] [--payload-bytes 1024]

import com.sun.net.httpserver.HttpServer;
import java.io.*;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryUsage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.*;
import java.util.concurrent.atomic.AtomicLong;

public class EventReplicator {
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

    static final class ChangeEvent implements Serializable {
        private static final long serialVersionUID = 1L;
        final String eventId;
        final long ts;
        final String aggregate;
        final HashMap<String, String> attrs = new HashMap<>();
        final byte[] payload;

        ChangeEvent(String id, long ts, String aggregate, byte[] payload) {
            this.eventId = id;
            this.ts = ts;
            this.aggregate = aggregate;
            this.payload = payload;
        }
    }

    static final AtomicLong shipped = new AtomicLong();
    static final AtomicLong replicaBytes = new AtomicLong();

    public static void main(String[] args) throws Exception {
        String httpFile = null;
        int eps = 1500, payloadBytes = 1024;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--http-file" -> httpFile = args[++i];
                case "--eps" -> eps = Integer.parseInt(args[++i]);
                case "--payload-bytes" -> payloadBytes = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException(args[i]);
            }
        }
        // the standby replica: reads the stream and discards it
        ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread replica = new Thread(() -> {
            try (Socket s = ss.accept(); InputStream in = s.getInputStream()) {
                byte[] buf = new byte[64 << 10];
                int n;
                while ((n = in.read(buf)) >= 0) replicaBytes.addAndGet(n);
            } catch (IOException e) {
                e.printStackTrace();
            }
        }, "standby-replica");
        replica.setDaemon(true);
        replica.start();
        Socket sock = new Socket(InetAddress.getLoopbackAddress(), ss.getLocalPort());
        ObjectOutputStream out = new ObjectOutputStream(new BufferedOutputStream(sock.getOutputStream(), 64 << 10));
        Vars.serve(httpFile);
        Random rng = new Random(71);
        String[] kinds = {"order.created", "order.paid", "stock.reserved", "stock.released", "shipment.booked"};
        double acc = 0;
        long lastReport = System.nanoTime();
        long seq = 0;
        while (true) {
            Thread.sleep(10);
            for (acc += eps / 100.0; acc >= 1; acc--) {
                byte[] payload = new byte[payloadBytes / 2 + rng.nextInt(payloadBytes)];
                rng.nextBytes(payload);
                ChangeEvent ev = new ChangeEvent("evt-" + Long.toHexString(++seq) + "-" + Integer.toHexString(rng.nextInt()), System.currentTimeMillis(), "agg-" + rng.nextInt(200000), payload);
                ev.attrs.put("kind", kinds[rng.nextInt(kinds.length)]);
                ev.attrs.put("tenant", "t-" + rng.nextInt(300));
                ev.attrs.put("trace", Long.toHexString(rng.nextLong()));
                ev.attrs.put("schema", "v" + (3 + rng.nextInt(2)));
                out.writeObject(ev);
                // a periodic out.reset() is what is missing
                shipped.incrementAndGet();
            }
            out.flush();
            long now = System.nanoTime();
            if (now - lastReport > 10_000_000_000L) {
                lastReport = now;
                System.out.printf("shipped=%d replica_bytes=%d%n", shipped.get(), replicaBytes.get());
            }
        }
    }
}
