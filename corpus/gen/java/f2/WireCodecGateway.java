// WireCodecGateway: protocol gateway between the order-entry clients and the
// matching engine. Every inbound message is decoded and re-encoded into a
// native wire frame (sun.misc.Unsafe.allocateMemory, so that the engine link
// can write it without copying through the Java heap); frames are released
// by the link writer once written. Small messages are coalesced: their frames
// are copied into one batch frame, which the writer sends and releases.
// Exposes JVM metrics as JSON on http://127.0.0.1:<port>/debug/vars.
//
// usage: java [jvm opts] WireCodecGateway.java --http-file PATH [--msgs-per-sec 1500]
//        [--min-bytes 1024] [--max-bytes 7168] [--coalesce-below 4096]

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryUsage;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

public class WireCodecGateway {
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

    static final sun.misc.Unsafe U;
    static {
        try {
            Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            U = (sun.misc.Unsafe) f.get(null);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A native wire frame: address + length, owned by whoever holds it until release(). */
    static final class Frame {
        final long addr;
        final int len;
        Frame(int len) {
            this.len = len;
            this.addr = U.allocateMemory(len);
        }
        void release() { U.freeMemory(addr); }
    }

    static final AtomicLong decoded = new AtomicLong(), framesSent = new AtomicLong(), batchesSent = new AtomicLong(),
        bytesSent = new AtomicLong();
    static final ArrayBlockingQueue<Frame> linkQueue = new ArrayBlockingQueue<>(8192);

    record Order(long seq, String account, String symbol, char side, long qty, long priceTicks, String clientTag) {}

    static Order decode(long seq, Random rng) {
        String line = seq + "|ACC" + rng.nextInt(50000) + "|SYM" + rng.nextInt(3000) + "|" + (rng.nextBoolean() ? 'B' : 'S')
            + "|" + (1 + rng.nextInt(1000)) + "|" + (10000 + rng.nextInt(90000)) + "|tag-" + Long.toHexString(rng.nextLong());
        String[] f = line.split("\\|");
        return new Order(Long.parseLong(f[0]), f[1], f[2], f[3].charAt(0), Long.parseLong(f[4]), Long.parseLong(f[5]), f[6]);
    }

    static Frame encode(Order o, int len) {
        Frame fr = new Frame(len);
        byte[] head = (o.seq() + ";" + o.account() + ";" + o.symbol() + ";" + o.side() + ";" + o.qty() + ";" + o.priceTicks()
            + ";" + o.clientTag()).getBytes(StandardCharsets.US_ASCII);
        int n = Math.min(head.length, len);
        for (int i = 0; i < n; i++) U.putByte(fr.addr + i, head[i]);
        U.setMemory(fr.addr + n, len - n, (byte) 0x20); // padding / optional fields
        return fr;
    }

    // Copies small frames into one batch frame for the engine link.
    static Frame coalesce(List<Frame> small) {
        int total = 0;
        for (Frame f : small) total += f.len;
        Frame batch = new Frame(total);
        long off = 0;
        for (Frame f : small) {
            U.copyMemory(f.addr, batch.addr + off, f.len);
            off += f.len;
        }
        return batch;
    }

    public static void main(String[] args) throws Exception {
        String httpFile = null;
        int msgsPerSec = 1500, minBytes = 1024, maxBytes = 7168, coalesceBelow = 4096;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--http-file" -> httpFile = args[++i];
                case "--msgs-per-sec" -> msgsPerSec = Integer.parseInt(args[++i]);
                case "--min-bytes" -> minBytes = Integer.parseInt(args[++i]);
                case "--max-bytes" -> maxBytes = Integer.parseInt(args[++i]);
                case "--coalesce-below" -> coalesceBelow = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown flag " + args[i]);
            }
        }
        Vars.serve(httpFile);
        Thread writer = new Thread(() -> {
            long sink = 0;
            try {
                while (true) {
                    Frame f = linkQueue.take();
                    for (long o = 0; o < f.len; o += 256) sink += U.getByte(f.addr + o);
                    bytesSent.addAndGet(f.len);
                    framesSent.incrementAndGet();
                    f.release();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (sink == 42) System.out.println();
        }, "engine-link-writer");
        writer.setDaemon(true);
        writer.start();

        Random rng = new Random(11);
        int batchSize = 8;
        List<Frame> pendingSmall = new ArrayList<>(batchSize);
        long start = System.nanoTime(), lastLog = start, next = start, seq = 0;
        final int tick = 10; // messages per pacing step
        long period = 1_000_000_000L * tick / msgsPerSec;
        while (true) {
            for (int k = 0; k < tick; k++) {
                Order o = decode(++seq, rng);
                decoded.incrementAndGet();
                int len = minBytes + rng.nextInt(maxBytes - minBytes + 1);
                Frame fr = encode(o, len);
                if (len < coalesceBelow) {
                    pendingSmall.add(fr);
                    if (pendingSmall.size() == batchSize) {
                        linkQueue.put(coalesce(pendingSmall));
                        batchesSent.incrementAndGet();
                        pendingSmall = new ArrayList<>(batchSize);
                    }
                } else {
                    linkQueue.put(fr);
                }
            }
            next += period;
            long sleep = next - System.nanoTime();
            if (sleep > 0) TimeUnit.NANOSECONDS.sleep(sleep);
            long now = System.nanoTime();
            if (now - lastLog > 5_000_000_000L) {
                lastLog = now;
                System.out.printf("decoded=%d frames_sent=%d batches=%d sent=%dMiB%n", decoded.get(), framesSent.get(),
                    batchesSent.get(), bytesSent.get() >> 20);
            }
        }
    }
}
