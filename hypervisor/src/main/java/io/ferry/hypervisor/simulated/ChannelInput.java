package io.ferry.hypervisor.simulated;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The destination's read side of a data channel: a buffered stream for frames and headers (read through the socket's
 * own stream, so its read timeout holds during the handshake) that can also read a batch's payload straight from the
 * socket into guest memory ({@link #readFully(ByteBuffer[], int)}), without a copy through the Java heap.
 */
final class ChannelInput extends InputStream {
    private final SocketChannel channel;
    private final InputStream timed;
    private final byte[] buffer = new byte[64 << 10];
    private int position;
    private int limit;

    ChannelInput(SocketChannel channel) throws IOException {
        this.channel = channel;
        this.timed = channel.socket().getInputStream();
    }

    @Override
    public int read() throws IOException {
        if (position == limit && !fill()) {
            return -1;
        }
        return buffer[position++] & 0xff;
    }

    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (position == limit) {
            if (length >= buffer.length) {
                return timed.read(into, offset, length); // large reads skip the buffer
            }
            if (!fill()) {
                return -1;
            }
        }
        int n = Math.min(length, limit - position);
        System.arraycopy(buffer, position, into, offset, n);
        position += n;
        return n;
    }

    /**
     * Closes the connection, which ends a read blocked in it. Needed before guest memory it reads into can be unmapped:
     * a read into a view of that memory holds it (see {@link GuestMemory#close()}).
     */
    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public int available() {
        return limit - position;
    }

    /** Fills {@code targets[0..count)} completely: what is buffered first, the rest straight from the socket. */
    void readFully(ByteBuffer[] targets, int count) throws IOException {
        int first = 0;
        while (first < count && position < limit) {
            ByteBuffer target = targets[first];
            int n = Math.min(target.remaining(), limit - position);
            target.put(buffer, position, n);
            position += n;
            if (!target.hasRemaining()) {
                first++;
            }
        }
        while (first < count) {
            if (channel.read(targets, first, count - first) < 0) {
                throw new EOFException("the data channel closed in the middle of a page batch");
            }
            while (first < count && !targets[first].hasRemaining()) {
                first++;
            }
        }
    }

    private boolean fill() throws IOException {
        int n = timed.read(buffer, 0, buffer.length);
        position = 0;
        limit = Math.max(0, n);
        return n > 0;
    }
}
