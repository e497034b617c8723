package io.ferry.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.zip.CRC32C;

/**
 * The least a verified page stream must do on this machine, with none of ferry's protocol: the sender checks each
 * 4 KiB page for zeroes, copies it into a staging batch (a running guest may change a page while it is on its way, so
 * its checksum must be of the copy that goes) and checksums it (CRC32C); the receiver reads straight into its memory
 * and checksums each page where it landed. Both memories are touched beforehand, as ferry's prefault does before an
 * uncapped round 1. Measured beside {@link Loopback} in the same run, it says what share of raw TCP any stream that
 * verifies every page can reach here, and how close ferry's round 1 comes to it.
 */
final class VerifiedStreamFloor {
    private static final int PAGE = 4096;
    private static final int BATCH_PAGES = 256; // ferry's raw batch: 1 MiB
    private static final long REGION = 1L << 30;

    private VerifiedStreamFloor() {
    }

    /** The best of {@code tries} transfers of {@code bytes} each (cycling over 1 GiB of memory on each side). */
    static Loopback.Result bestOf(int tries, long bytes) throws IOException, InterruptedException {
        int region = (int) Math.min(REGION, bytes);
        Path dir = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));
        Path sourceFile = Files.createTempFile(dir, "ferry-bench-floor-", ".mem");
        Path targetFile = Files.createTempFile(dir, "ferry-bench-floor-", ".mem");
        try {
            ByteBuffer source = map(sourceFile, region);
            ByteBuffer target = map(targetFile, region);
            for (int at = 0; at < region; at += PAGE) {
                source.putLong(at, at * 0x9E3779B97F4A7C15L | 1); // no zero page, like a guest full of data
                target.put(at, (byte) 0);
            }
            double best = 0;
            for (int i = 0; i < tries; i++) {
                best = Math.max(best, once(source, target, bytes));
            }
            return new Loopback.Result(best, bytes, tries);
        } finally {
            Files.deleteIfExists(sourceFile);
            Files.deleteIfExists(targetFile);
        }
    }

    /** Guest memory as ferry keeps it: a shared mapping of a file in /dev/shm. */
    private static ByteBuffer map(Path file, int bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, bytes);
        }
    }

    private static double once(ByteBuffer source, ByteBuffer target, long bytes) throws IOException, InterruptedException {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try (SocketChannel sender = SocketChannel.open()) {
                sender.setOption(StandardSocketOptions.TCP_NODELAY, true);
                sender.connect(server.getLocalAddress());
                try (SocketChannel receiver = server.accept()) {
                    CompletableFuture<Long> done = CompletableFuture.supplyAsync(() -> receive(receiver, target, bytes));
                    long start = System.nanoTime();
                    send(sender, source, bytes);
                    return bytes * 1e9 / (done.get() - start);
                } catch (ExecutionException e) {
                    throw new IOException("verified-stream receiver failed", e.getCause());
                }
            }
        }
    }

    private static void send(SocketChannel channel, ByteBuffer memory, long bytes) throws IOException {
        int batch = BATCH_PAGES * PAGE;
        ByteBuffer staging = ByteBuffer.allocateDirect(batch);
        ByteBuffer zero = ByteBuffer.allocateDirect(PAGE);
        CRC32C crc = new CRC32C();
        long sink = 0;
        for (long sent = 0; sent < bytes; sent += batch) {
            int base = (int) (sent % memory.capacity());
            staging.clear();
            for (int p = 0; p < BATCH_PAGES; p++) {
                int at = base + p * PAGE;
                if (memory.getLong(at) == 0 && memory.slice(at, PAGE).mismatch(zero) < 0) {
                    sink++; // ferry would send a zero-page header instead; this memory has none
                }
                staging.limit(staging.capacity()).put(p * PAGE, memory, at, PAGE);
                crc.reset();
                crc.update(staging.limit((p + 1) * PAGE).position(p * PAGE));
                sink += crc.getValue();
            }
            staging.clear();
            while (staging.hasRemaining()) {
                channel.write(staging);
            }
        }
        if (sink == 42) {
            System.err.print(""); // keeps the checksums from being optimised away
        }
    }

    private static long receive(SocketChannel channel, ByteBuffer memory, long bytes) {
        int batch = BATCH_PAGES * PAGE;
        CRC32C crc = new CRC32C();
        long sink = 0;
        try {
            for (long received = 0; received < bytes; received += batch) {
                int base = (int) (received % memory.capacity());
                ByteBuffer view = memory.slice(base, batch);
                while (view.hasRemaining()) {
                    if (channel.read(view) < 0) {
                        throw new IOException("verified-stream sender closed early");
                    }
                }
                for (int p = 0; p < BATCH_PAGES; p++) {
                    crc.reset();
                    crc.update(memory.slice(base + p * PAGE, PAGE));
                    sink += crc.getValue();
                }
            }
            if (sink == 42) {
                System.err.print("");
            }
            return System.nanoTime();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
