package io.ferry.agent.hypervisor.simulated;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.zip.CRC32C;

/** Destination side of one migration's data channel: applies what the source sends to the skeleton VM. */
final class IncomingMigration {
    final String migrationId;
    final SimulatedVm skeleton;
    /** Completes with the source's checksum once memory and device state arrived and matched. */
    final CompletableFuture<String> verified = new CompletableFuture<>();
    /** Page checksums the destination computed when the source completed. */
    volatile int[] verifiedPages;
    private volatile boolean closed;

    IncomingMigration(String migrationId, SimulatedVm skeleton) {
        this.migrationId = migrationId;
        this.skeleton = skeleton;
    }

    void close() {
        closed = true;
        verified.completeExceptionally(new IOException("migration " + migrationId + " was aborted on the destination"));
    }

    /** Runs after HELLO: checks the configuration, then applies frames until COMPLETE. */
    void serve(DataInputStream in, DataOutputStream out) throws IOException {
        if (in.readByte() != Frames.CONFIG) {
            reply(out, Frames.ERROR, "expected the VM configuration after HELLO");
            return;
        }
        String vmId = in.readUTF();
        int memoryMb = in.readInt();
        if (!vmId.equals(skeleton.spec().vmId()) || memoryMb != skeleton.spec().memoryMb()) {
            reply(out, Frames.ERROR, "configuration " + vmId + "/" + memoryMb + " MB does not match the skeleton "
                    + skeleton.spec().vmId() + "/" + skeleton.spec().memoryMb() + " MB");
            return;
        }
        reply(out, Frames.OK, "skeleton " + vmId + " ready");
        byte[] batch = new byte[Frames.BATCH_PAGES * GuestMemory.PAGE_SIZE];
        CRC32C crc = new CRC32C();
        while (!closed) {
            byte type = in.readByte();
            switch (type) {
                case Frames.PAGES -> receivePages(in, batch, crc);
                case Frames.DEVICE_STATE -> {
                    int length = in.readInt();
                    if (length < 0 || length > Frames.MAX_DEVICE_STATE) {
                        throw new IOException("device state of " + length + " bytes is out of range");
                    }
                    skeleton.loadDeviceState(in.readNBytes(length));
                }
                case Frames.COMPLETE -> {
                    String expected = in.readUTF();
                    int[] pages = skeleton.memory().pageChecksums();
                    String actual = GuestMemory.digest(pages, skeleton.deviceState());
                    verifiedPages = pages;
                    if (actual.equals(expected)) {
                        reply(out, Frames.OK, actual);
                        verified.complete(actual);
                    } else {
                        reply(out, Frames.ERROR, "destination memory " + actual + " != source " + expected);
                        verified.completeExceptionally(new IOException("memory mismatch: " + actual + " != " + expected));
                    }
                    return;
                }
                default -> throw new IOException("unknown frame type " + type + " on the data channel");
            }
        }
    }

    private void receivePages(DataInputStream in, byte[] batch, CRC32C crc) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > Frames.BATCH_PAGES) {
            throw new IOException("page batch of " + count + " pages is out of range");
        }
        crc.reset();
        int[] pages = new int[count];
        boolean[] zero = new boolean[count];
        for (int i = 0; i < count; i++) {
            pages[i] = in.readInt();
            zero[i] = in.readByte() == Frames.PAGE_ZERO;
            crc.update(pages[i]);
            if (!zero[i]) {
                in.readFully(batch, i * GuestMemory.PAGE_SIZE, GuestMemory.PAGE_SIZE);
                crc.update(batch, i * GuestMemory.PAGE_SIZE, GuestMemory.PAGE_SIZE);
            }
        }
        long expected = in.readLong();
        if (expected != crc.getValue()) {
            throw new IOException("page batch checksum mismatch: the data channel corrupted data");
        }
        for (int i = 0; i < count; i++) {
            if (zero[i]) {
                skeleton.memory().loadZero(pages[i]);
            } else {
                skeleton.memory().load(pages[i], batch, i * GuestMemory.PAGE_SIZE);
            }
        }
    }

    static void reply(DataOutputStream out, byte type, String message) throws IOException {
        out.writeByte(type);
        out.writeUTF(message);
        out.flush();
    }
}
