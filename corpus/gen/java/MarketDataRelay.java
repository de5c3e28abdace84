// MarketDataRelay: fans out a market-data feed to downstream subscribers over
// loopback TCP. Every outbound frame is encoded once into a direct ByteBuffer
// and written to each connected subscriber; frames are also kept in a
// retransmit window (seq -> frame) so that a subscriber that reconnects can
// ask for a replay. The window is trimmed up to the lowest sequence number
// acknowledged by all registered subscribers.
// Exposes JVM metrics as JSON on http://127.0.0.1:<port>/debug/vars.
//
// usage: java [jvm opts] MarketDataRelay.java --http-file PATH [--frames-per-sec 1000] [--mean-frame-bytes 8192] [--subscribers 2]

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryUsage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

public class MarketDataRelay {
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

    /** A downstream consumer; ackedSeq is advanced as the consumer confirms frames. */
    static final class Subscriber {
        final String name;
        final SocketChannel channel; // null while disconnected
        final AtomicLong ackedSeq = new AtomicLong();
        Subscriber(String name, SocketChannel channel) { this.name = name; this.channel = channel; }
    }

    static final ConcurrentSkipListMap<Long, ByteBuffer> retransmitWindow = new ConcurrentSkipListMap<>();
    static final List<Subscriber> subscribers = new ArrayList<>();

    static ByteBuffer encodeFrame(long seq, String symbol, Random rng, int payloadBytes) {
        ByteBuffer f = ByteBuffer.allocateDirect(16 + payloadBytes);
        f.putInt(payloadBytes).putLong(seq).putInt(symbol.hashCode());
        // book levels: price/size pairs
        while (f.remaining() >= 12) {
            f.putLong(1_000_000L + rng.nextInt(50_000)).putInt(rng.nextInt(10_000));
        }
        while (f.hasRemaining()) f.put((byte) 0);
        f.flip();
        return f;
    }

    static long lowestAck() {
        long min = Long.MAX_VALUE;
        synchronized (subscribers) {
            for (Subscriber s : subscribers) min = Math.min(min, s.ackedSeq.get());
        }
        return min;
    }

    static void trimWindow() {
        long upTo = lowestAck();
        retransmitWindow.headMap(upTo, true).clear();
    }

    /** Reads frames the relay sends and acknowledges them (the downstream side). */
    static void consume(SocketChannel ch, Subscriber sub) {
        ByteBuffer hdr = ByteBuffer.allocate(16);
        ByteBuffer body = ByteBuffer.allocate(1 << 16);
        try {
            while (true) {
                hdr.clear();
                while (hdr.hasRemaining()) if (ch.read(hdr) < 0) return;
                hdr.flip();
                int len = hdr.getInt();
                long seq = hdr.getLong();
                body.clear().limit(len);
                while (body.hasRemaining()) if (ch.read(body) < 0) return;
                sub.ackedSeq.set(seq);
            }
        } catch (Exception e) {
            System.out.println(sub.name + ": " + e);
        }
    }

    public static void main(String[] args) throws Exception {
        String httpFile = null;
        double framesPerSec = 1000;
        int meanFrameBytes = 8192;
        int nSubs = 2;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--http-file": httpFile = args[++i]; break;
                case "--frames-per-sec": framesPerSec = Double.parseDouble(args[++i]); break;
                case "--mean-frame-bytes": meanFrameBytes = Integer.parseInt(args[++i]); break;
                case "--subscribers": nSubs = Integer.parseInt(args[++i]); break;
                default: throw new IllegalArgumentException(args[i]);
            }
        }
        Vars.serve(httpFile);
        ServerSocketChannel server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        List<SocketChannel> outbound = new ArrayList<>();
        for (int i = 0; i < nSubs; i++) {
            SocketChannel client = SocketChannel.open(server.getLocalAddress());
            SocketChannel accepted = server.accept();
            Subscriber sub = new Subscriber("desk-" + i, accepted);
            synchronized (subscribers) { subscribers.add(sub); }
            outbound.add(accepted);
            Thread t = new Thread(() -> consume(client, sub), "subscriber-" + i);
            t.setDaemon(true);
            t.start();
        }
        // the replay archiver registers at start-up and connects later (it never does in this run)
        synchronized (subscribers) { subscribers.add(new Subscriber("replay-archiver", null)); }

        String[] symbols = {"ESZ5", "NQZ5", "CLF6", "GCG6", "ZNH6", "6EZ5", "BTCZ5", "RTYZ5"};
        Random rng = new Random(41);
        long seq = 0;
        long tickNs = 10_000_000L;
        double acc = 0;
        long next = System.nanoTime(), lastReport = next, bytesOut = 0;
        while (true) {
            acc += framesPerSec / 100.0;
            for (; acc >= 1; acc--) {
                int payload = meanFrameBytes / 4 + rng.nextInt(meanFrameBytes * 3 / 2);
                ByteBuffer frame = encodeFrame(++seq, symbols[rng.nextInt(symbols.length)], rng, payload);
                retransmitWindow.put(seq, frame);
                for (SocketChannel ch : outbound) {
                    ByteBuffer dup = frame.duplicate();
                    while (dup.hasRemaining()) bytesOut += ch.write(dup);
                }
            }
            trimWindow();
            if (System.nanoTime() - lastReport > 10_000_000_000L) {
                lastReport = System.nanoTime();
                System.out.println("seq=" + seq + " window=" + retransmitWindow.size() + " lowest_ack=" + lowestAck() + " bytes_out=" + bytesOut);
            }
            next += tickNs;
            long sleep = next - System.nanoTime();
            if (sleep > 0) Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
        }
    }
}
