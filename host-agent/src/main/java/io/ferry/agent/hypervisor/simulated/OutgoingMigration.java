package io.ferry.agent.hypervisor.simulated;

import io.ferry.agent.hypervisor.HypervisorException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.zip.CRC32C;

/** Source side of one migration's data channel: sends pages in checksummed batches; TCP gives back-pressure. */
final class OutgoingMigration implements AutoCloseable {
    final String migrationId;
    final SimulatedVm vm;
    private final Socket socket;
    private final DataOutputStream out;
    private final DataInputStream in;
    private final byte[] batch = new byte[Frames.BATCH_PAGES * GuestMemory.PAGE_SIZE];
    private final int[] batchPages = new int[Frames.BATCH_PAGES];
    private final boolean[] batchZero = new boolean[Frames.BATCH_PAGES];
    private final CRC32C crc = new CRC32C();
    private int batchSize;
    private volatile boolean cancelled;
    long pagesSent;
    long zeroPages;
    long bytesSent;

    private OutgoingMigration(String migrationId, SimulatedVm vm, Socket socket) throws IOException {
        this.migrationId = migrationId;
        this.vm = vm;
        this.socket = socket;
        this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 1 << 20));
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
    }

    /** Stage 1: connect, introduce the migration and send the VM configuration. */
    static OutgoingMigration open(String migrationId, SimulatedVm vm, String dataAddress) {
        int colon = dataAddress.lastIndexOf(':');
        if (colon < 1) {
            throw new HypervisorException("DATA_CHANNEL_FAILED", "data address '" + dataAddress + "' is not host:port");
        }
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setSendBufferSize(4 << 20);
            socket.connect(new InetSocketAddress(dataAddress.substring(0, colon),
                    Integer.parseInt(dataAddress.substring(colon + 1))), 5_000);
            OutgoingMigration outgoing = new OutgoingMigration(migrationId, vm, socket);
            outgoing.out.writeByte(Frames.HELLO);
            outgoing.out.writeUTF(migrationId);
            outgoing.out.writeByte(Frames.CONFIG);
            outgoing.out.writeUTF(vm.spec().vmId());
            outgoing.out.writeInt(vm.spec().memoryMb());
            outgoing.out.flush();
            outgoing.expectOk("configuration");
            return outgoing;
        } catch (IOException | NumberFormatException e) {
            closeQuietly(socket);
            throw new HypervisorException("DATA_CHANNEL_FAILED",
                    "cannot open the data channel to " + dataAddress + ": " + e.getMessage(), e);
        }
    }

    void cancel() {
        cancelled = true;
        close();
    }

    boolean cancelled() {
        return cancelled;
    }

    /** Sends every page whose bit is set in {@code bitmap}, then flushes the last batch. */
    void sendPages(long[] bitmap, Pacer pacer) throws IOException {
        for (int word = 0; word < bitmap.length; word++) {
            for (long bits = bitmap[word]; bits != 0; bits &= bits - 1) {
                sendPage(word * 64 + Long.numberOfTrailingZeros(bits), pacer);
            }
            if (cancelled) {
                throw new IOException("migration " + migrationId + " was cancelled");
            }
        }
        flushBatch(pacer);
    }

    /** Queues one page (read now, so the newest data goes); full batches are flushed to the wire. */
    private void sendPage(int page, Pacer pacer) throws IOException {
        GuestMemory memory = vm.memory();
        int i = batchSize++;
        batchPages[i] = page;
        batchZero[i] = memory.isZero(page);
        if (!batchZero[i]) {
            memory.read(page, batch, i * GuestMemory.PAGE_SIZE);
        }
        if (batchSize == Frames.BATCH_PAGES) {
            flushBatch(pacer);
        }
    }

    private void flushBatch(Pacer pacer) throws IOException {
        if (batchSize == 0) {
            return;
        }
        if (cancelled) {
            throw new IOException("migration " + migrationId + " was cancelled");
        }
        crc.reset();
        long bytes = 5;
        out.writeByte(Frames.PAGES);
        out.writeInt(batchSize);
        for (int i = 0; i < batchSize; i++) {
            out.writeInt(batchPages[i]);
            out.writeByte(batchZero[i] ? Frames.PAGE_ZERO : Frames.PAGE_DATA);
            crc.update(batchPages[i]);
            bytes += 5;
            if (batchZero[i]) {
                zeroPages++;
            } else {
                out.write(batch, i * GuestMemory.PAGE_SIZE, GuestMemory.PAGE_SIZE);
                crc.update(batch, i * GuestMemory.PAGE_SIZE, GuestMemory.PAGE_SIZE);
                bytes += GuestMemory.PAGE_SIZE;
            }
        }
        out.writeLong(crc.getValue());
        bytes += 8;
        pagesSent += batchSize;
        bytesSent += bytes;
        batchSize = 0;
        pacer.sent(bytes);
    }

    /** Stage 3: device state and the source's checksum; the destination answers whether its copy matches. */
    String complete(byte[] deviceState, String checksum) throws IOException {
        out.writeByte(Frames.DEVICE_STATE);
        out.writeInt(deviceState.length);
        out.write(deviceState);
        out.writeByte(Frames.COMPLETE);
        out.writeUTF(checksum);
        out.flush();
        bytesSent += 1 + 4 + deviceState.length + 1 + 2 + checksum.length();
        return expectOk("final copy");
    }

    void flush() throws IOException {
        out.flush();
    }

    private String expectOk(String what) throws IOException {
        byte type = in.readByte();
        String message = in.readUTF();
        if (type != Frames.OK) {
            throw new IOException("destination refused the " + what + ": " + message);
        }
        return message;
    }

    @Override
    public void close() {
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a broken connection: nothing left to do
        }
    }
}
