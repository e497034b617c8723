package io.ferry.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** Raw TCP throughput over 127.0.0.1 between two threads of this JVM: the ceiling for ferry's page streaming. */
final class Loopback {
    private static final int BUFFER = 1 << 20;
    private static final int SOCKET_BUFFER = 4 << 20;

    private Loopback() {
    }

    /** The best of {@code tries} transfers; bytesPerSec is NaN when not measured. */
    record Result(double bytesPerSec, long bytesPerTry, int tries) {
        static final Result NOT_MEASURED = new Result(Double.NaN, 0, 0);
    }

    /** The best of {@code tries} transfers of {@code bytes} each. */
    static Result bestOf(int tries, long bytes) throws IOException, InterruptedException {
        double best = 0;
        for (int i = 0; i < tries; i++) {
            best = Math.max(best, once(bytes));
        }
        return new Result(best, bytes, tries);
    }

    static double once(long bytes) throws IOException, InterruptedException {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try (SocketChannel sender = SocketChannel.open()) {
                sender.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER);
                sender.setOption(StandardSocketOptions.TCP_NODELAY, true);
                sender.connect(server.getLocalAddress());
                try (SocketChannel receiver = server.accept()) {
                    CompletableFuture<Long> done = CompletableFuture.supplyAsync(() -> drain(receiver, bytes));
                    ByteBuffer out = ByteBuffer.allocateDirect(BUFFER);
                    long start = System.nanoTime();
                    for (long left = bytes; left > 0; ) {
                        out.clear().limit((int) Math.min(BUFFER, left));
                        left -= sender.write(out);
                    }
                    long end = done.get();
                    return bytes * 1e9 / (end - start);
                } catch (ExecutionException e) {
                    throw new IOException("loopback receiver failed", e.getCause());
                }
            }
        }
    }

    /** Reads exactly {@code bytes}, returning System.nanoTime() when the last one arrived. */
    private static long drain(SocketChannel channel, long bytes) {
        ByteBuffer in = ByteBuffer.allocateDirect(BUFFER);
        try {
            for (long left = bytes; left > 0; ) {
                in.clear();
                int n = channel.read(in);
                if (n < 0) {
                    throw new IOException("loopback sender closed with " + left + " bytes still to come");
                }
                left -= n;
            }
            return System.nanoTime();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
