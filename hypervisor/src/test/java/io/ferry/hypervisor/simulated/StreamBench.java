package io.ferry.hypervisor.simulated;

import io.ferry.hypervisor.Hypervisor.Compression;
import io.ferry.hypervisor.Hypervisor.CopyPolicy;
import io.ferry.hypervisor.Hypervisor.FinalCopyResult;
import io.ferry.hypervisor.Hypervisor.MigrationTicket;
import io.ferry.hypervisor.Hypervisor.ResumeResult;
import io.ferry.hypervisor.Hypervisor.RoundStats;
import io.ferry.hypervisor.Hypervisor.VmSpec;
import io.ferry.hypervisor.simulated.workload.ContentMix;
import io.ferry.hypervisor.simulated.workload.GuestWorkload;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Not a test: a measuring harness for the simulated driver's stream (issue 11, points 3 and 4). One migration of a
 * booted guest through the Hypervisor seam in this JVM (guests kept in run directories under /dev/shm, as the demo's
 * agents keep them), with raw loopback TCP measured just before, so the round-1 rate can be read as a share of what
 * the machine's loopback carries. The first run of a JVM is cold, as an agent's first migration is. Run it with the
 * test classpath:
 * {@code java -cp ... io.ferry.hypervisor.simulated.StreamBench [memoryMb] [bandwidthMbps] [runs] [workload]}.
 * Prints one line per run and the medians.
 */
public final class StreamBench {
    private StreamBench() {
    }

    record Run(double loopbackMBps, double round1MBps, long round1Bytes, long round1Ms, long setupMs, long precopyMs,
            long finalCopyMs, long resumeMs, long discardMs, long totalMs, long bytesSent, int rounds, long downtimeMs) {
        double wireMs(int mbps) {
            return mbps <= 0 ? Double.NaN : bytesSent * 8.0 / mbps / 1e3;
        }
    }

    public static void main(String[] args) throws Exception {
        int memoryMb = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
        int mbps = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        GuestWorkload workload = GuestWorkload.parse(args.length > 3 ? args[3] : "idle");
        List<Run> results = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            double loopback = loopbackMBps(1L << 30);
            Run run = migrate(memoryMb, mbps, workload, loopback);
            results.add(run);
            System.out.println(line("run " + (i + 1), run, mbps));
        }
        System.out.println(String.format(Locale.ROOT, "median: loopback %.0f MB/s, round-1 %.0f MB/s (%.1f %% of"
                        + " loopback), setup %d ms, total %d ms%s",
                median(results, Run::loopbackMBps), median(results, Run::round1MBps),
                median(results, r -> 100 * r.round1MBps() / r.loopbackMBps()), (long) median(results, r -> r.setupMs()),
                (long) median(results, r -> r.totalMs()),
                mbps > 0 ? String.format(Locale.ROOT, ", total/wire %.3f", median(results, r -> r.totalMs() / r.wireMs(mbps)))
                        : ""));
    }

    private static String line(String name, Run r, int mbps) {
        return String.format(Locale.ROOT, "%s: loopback %.0f MB/s | round-1 %.0f MB/s (%d MB in %d ms, %.1f %% of loopback)"
                        + " | setup %d, precopy %d, final %d, resume %d, discard %d, total %d ms | %d rounds, %d MB sent,"
                        + " downtime %d ms%s",
                name, r.loopbackMBps(), r.round1MBps(), r.round1Bytes() / 1_000_000, r.round1Ms(),
                100 * r.round1MBps() / r.loopbackMBps(), r.setupMs(), r.precopyMs(), r.finalCopyMs(), r.resumeMs(),
                r.discardMs(), r.totalMs(), r.rounds(), r.bytesSent() / 1_000_000, r.downtimeMs(),
                mbps > 0 ? String.format(Locale.ROOT, ", total/wire %.3f", r.totalMs() / r.wireMs(mbps)) : "");
    }

    private static double median(List<Run> runs, java.util.function.ToDoubleFunction<Run> f) {
        double[] values = runs.stream().mapToDouble(f).sorted().toArray();
        return values[values.length / 2];
    }

    static Run migrate(int memoryMb, int mbps, GuestWorkload workload, double loopback) throws Exception {
        // Kept guests (a run directory per host, in /dev/shm) as the agents of `ferry demo` keep them.
        java.nio.file.Path runs = java.nio.file.Files.createTempDirectory(java.nio.file.Path.of("/dev/shm"), "stream-bench-");
        try (SimulatedHypervisor source = new SimulatedHypervisor(settings(runs.resolve("hv-01")), Clock.systemUTC());
                SimulatedHypervisor destination = new SimulatedHypervisor(settings(runs.resolve("hv-02")), Clock.systemUTC())) {
            VmSpec spec = new VmSpec("BENCH", memoryMb, 1, "52:54:00:12:34:56", "/ferry/disks/BENCH.vhdx", List.of());
            source.boot(spec, workload);
            MigrationTicket ticket = new MigrationTicket(UUID.randomUUID().toString(), "BENCH", UUID.randomUUID().toString());
            CopyPolicy policy = new CopyPolicy(50, mbps, 30, false, Compression.NONE, 30_000);
            List<RoundStats> rounds = new ArrayList<>();
            long t0 = System.nanoTime();
            String address = destination.prepareSkeleton(ticket, spec);
            long prepared = System.nanoTime();
            source.connectSource(ticket, address);
            long t1 = System.nanoTime();
            System.out.printf("  prepare %d ms, connect %d ms%n", ms(prepared - t0), ms(t1 - prepared));
            var precopy = source.precopy(ticket, policy, rounds::add);
            long t2 = System.nanoTime();
            FinalCopyResult finalCopy = source.finalCopy(ticket);
            long t3 = System.nanoTime();
            source.releaseDisk(ticket);
            ResumeResult resumed = destination.resume(ticket);
            long t4 = System.nanoTime();
            int[] check = source.vm("BENCH").memory().pageChecksums();
            long checked = System.nanoTime();
            source.discardSource(ticket);
            long t5 = System.nanoTime();
            System.out.printf("  pageChecksums alone %d ms (%d pages), discard %d ms%n", ms(checked - t4), check.length,
                    ms(t5 - checked));
            if (!Arrays.equals(source.switchoverFingerprint(ticket.migrationId()).orElseThrow(),
                    destination.switchoverFingerprint(ticket.migrationId()).orElseThrow())) {
                throw new IllegalStateException("the destination's pages differ from the paused source's");
            }
            RoundStats first = rounds.getFirst();
            long bytes = rounds.stream().mapToLong(RoundStats::bytesSent).sum() + finalCopy.bytesSent();
            long roundMs = Math.max(1, first.roundMs());
            return new Run(loopback, first.bytesSent() / 1e3 / roundMs, first.bytesSent(), roundMs, ms(t1 - t0),
                    ms(t2 - t1), ms(t3 - t2), ms(t4 - t3), ms(t5 - checked), ms(t5 - t0 - (checked - t4)), bytes, precopy.rounds(),
                    java.time.Duration.between(finalCopy.pausedAt(), resumed.resumedAt()).toMillis());
        } finally {
            GuestStore.wipe(runs.resolve("hv-01"));
            GuestStore.wipe(runs.resolve("hv-02"));
            java.nio.file.Files.deleteIfExists(runs);
        }
    }

    private static SimulatedHypervisor.Settings settings(java.nio.file.Path runDir) {
        return new SimulatedHypervisor.Settings(65_536, List.of(), 0.6, GuestWorkload.IDLE, ContentMix.DEFAULT, null,
                "127.0.0.1", 0, "127.0.0.1", runDir);
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    /** Raw TCP over 127.0.0.1, as the bench's Loopback measures it: direct buffers of 1 MiB, 4 MiB socket buffers. */
    static double loopbackMBps(long bytes) throws IOException, InterruptedException {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try (SocketChannel sender = SocketChannel.open()) {
                sender.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
                sender.setOption(StandardSocketOptions.TCP_NODELAY, true);
                sender.connect(server.getLocalAddress());
                try (SocketChannel receiver = server.accept()) {
                    CompletableFuture<Long> done = CompletableFuture.supplyAsync(() -> {
                        ByteBuffer in = ByteBuffer.allocateDirect(1 << 20);
                        try {
                            for (long left = bytes; left > 0; ) {
                                in.clear();
                                int n = receiver.read(in);
                                if (n < 0) {
                                    throw new IOException("closed early");
                                }
                                left -= n;
                            }
                            return System.nanoTime();
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    });
                    ByteBuffer out = ByteBuffer.allocateDirect(1 << 20);
                    long start = System.nanoTime();
                    for (long left = bytes; left > 0; ) {
                        out.clear().limit((int) Math.min(1 << 20, left));
                        left -= sender.write(out);
                    }
                    long end = done.join();
                    return bytes * 1e3 / (end - start);
                }
            }
        }
    }
}
