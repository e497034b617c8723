package io.ferry.hypervisor.simulated;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * The data channel's frames ({@link Frames} describes the protocol), each written and read here side by side, so the
 * two ends cannot drift. Writers answer the bytes they put on the wire, counted from what they wrote. Readers run
 * after the frame's type byte, which the caller reads to choose. Page payloads are moved by the sessions themselves,
 * straight from and into guest memory; the page headers and the frames' sizes are here.
 */
final class DataChannelCodec {
    private DataChannelCodec() {}

    record Hello(String migrationId, byte[] sourceNonce) {}

    record Challenge(byte[] destinationNonce, byte[] destinationProof) {}

    record Config(String vmId, int memoryMb) {}

    record Complete(String checksum, Instant pausedAt) {}

    record Reply(boolean ok, String message) {}

    /** A batch's page count, and how many of those pages carry content (the rest are zero-page markers). */
    record Batch(int count, int dataPages) {}

    static void hello(DataOutputStream out, String migrationId, byte[] sourceNonce) throws IOException {
        out.writeByte(Frames.HELLO);
        out.writeUTF(migrationId);
        out.write(sourceNonce);
        out.flush();
    }

    static Hello readHello(DataInputStream in) throws IOException {
        return new Hello(in.readUTF(), Handshake.read(in, Handshake.NONCE));
    }

    static void challenge(DataOutputStream out, byte[] destinationNonce, byte[] destinationProof) throws IOException {
        out.writeByte(Frames.CHALLENGE);
        out.write(destinationNonce);
        out.write(destinationProof);
        out.flush();
    }

    static Challenge readChallenge(DataInputStream in) throws IOException {
        return new Challenge(Handshake.read(in, Handshake.NONCE), Handshake.read(in, Handshake.PROOF));
    }

    static void proof(DataOutputStream out, byte[] proof) throws IOException {
        out.writeByte(Frames.PROOF);
        out.write(proof);
        out.flush();
    }

    static byte[] readProof(DataInputStream in) throws IOException {
        return Handshake.read(in, Handshake.PROOF);
    }

    static void config(DataOutputStream out, String vmId, int memoryMb) throws IOException {
        out.writeByte(Frames.CONFIG);
        out.writeUTF(vmId);
        out.writeInt(memoryMb);
        out.flush();
    }

    static Config readConfig(DataInputStream in) throws IOException {
        return new Config(in.readUTF(), in.readInt());
    }

    /** The bitmap of pages round 1 sends with content; not flushed, so the caller decides when it goes. */
    static long hint(DataOutputStream out, long[] bits) throws IOException {
        out.writeByte(Frames.HINT);
        out.writeInt(bits.length);
        for (long word : bits) {
            out.writeLong(word);
        }
        return 1 + 4 + 8L * bits.length;
    }

    /** Reads a hint for a memory of {@code pages}: one bit per page, nothing more. */
    static long[] readHint(DataInputStream in, int pages) throws IOException {
        int words = in.readInt();
        if (words != (pages + 63) / 64) {
            throw new IOException("a page hint of " + words + " words does not fit the skeleton's " + pages + " pages");
        }
        long[] bits = new long[words];
        for (int i = 0; i < words; i++) {
            bits[i] = in.readLong();
        }
        return bits;
    }

    static long awaitPrefault(DataOutputStream out, int bandwidthMbps) throws IOException {
        out.writeByte(Frames.AWAIT_PREFAULT);
        out.writeInt(bandwidthMbps);
        out.flush();
        return 1 + 4;
    }

    static int readAwaitPrefault(DataInputStream in) throws IOException {
        return in.readInt();
    }

    static long deviceState(DataOutputStream out, byte[] deviceState) throws IOException {
        out.writeByte(Frames.DEVICE_STATE);
        out.writeInt(deviceState.length);
        out.write(deviceState);
        out.flush();
        return 1 + 4 + deviceState.length;
    }

    static byte[] readDeviceState(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > Frames.MAX_DEVICE_STATE) {
            throw new IOException("device state of " + length + " bytes is out of range");
        }
        return in.readNBytes(length);
    }

    /** The source's checksum, and when it paused, so the destination can report the downtime up to its resume. */
    static long complete(DataOutputStream out, String checksum, Instant pausedAt) throws IOException {
        out.writeByte(Frames.COMPLETE);
        out.writeUTF(checksum);
        out.writeLong(pausedAt.toEpochMilli());
        out.flush();
        return 1 + utfBytes(checksum) + 8;
    }

    static Complete readComplete(DataInputStream in) throws IOException {
        return new Complete(in.readUTF(), Instant.ofEpochMilli(in.readLong()));
    }

    static void reply(DataOutputStream out, boolean ok, String message) throws IOException {
        out.writeByte(ok ? Frames.OK : Frames.ERROR);
        out.writeUTF(message);
        out.flush();
    }

    static Reply readReply(DataInputStream in) throws IOException {
        byte type = in.readByte();
        return new Reply(type == Frames.OK, in.readUTF());
    }

    /** A PAGES frame's head: type and count, then the page headers, written as {@link #readPageHeaders} reads them. */
    static void pagesHead(DataOutputStream out, int count, byte[] headers) throws IOException {
        out.writeByte(Frames.PAGES);
        out.writeInt(count);
        out.write(headers, 0, count * Frames.PAGE_HEADER);
    }

    /** A PAGES frame's tail: the codec, the payload and the checksum over headers and uncompressed payload. */
    static void pagesBody(DataOutputStream out, byte codec, byte[] payload, int length, long crc) throws IOException {
        out.writeByte(codec);
        out.writeInt(length);
        out.write(payload, 0, length);
        out.writeLong(crc);
    }

    /** The bytes of a PAGES frame of {@code count} pages whose payload is {@code payloadLength} bytes. */
    static long pagesFrame(int count, int payloadLength) {
        return 1 + 4 + (long) count * Frames.PAGE_HEADER + 1 + 4 + payloadLength + 8;
    }

    /**
     * A PAGES_RAW frame's head, all but its payload: type, count, page headers, page checksums, then a checksum over
     * the page headers and page checksums (computed with {@code crc}). Leaves {@code head} ready to be written.
     */
    static void rawHead(ByteBuffer head, int count, byte[] headers, int[] pageCrcs, int dataPages,
            java.util.zip.CRC32C crc) {
        head.clear();
        head.put(Frames.PAGES_RAW).putInt(count).put(headers, 0, count * Frames.PAGE_HEADER);
        for (int i = 0; i < dataPages; i++) {
            head.putInt(pageCrcs[i]);
        }
        crc.reset();
        crc.update(head.duplicate().flip().position(1 + 4));
        head.putInt((int) crc.getValue()).flip();
    }

    /** The largest raw head: type, count, a full batch's page headers and page checksums, the header checksum. */
    static final int RAW_HEAD_CAPACITY = 1 + 4 + Frames.RAW_BATCH_PAGES * (Frames.PAGE_HEADER + 4) + 4;

    /** The bytes of a PAGES_RAW frame of {@code count} pages, {@code dataPages} of them with content. */
    static long rawFrame(int count, int dataPages) {
        return 1 + 4 + (long) count * Frames.PAGE_HEADER + 4L * dataPages + 4 + (long) dataPages * GuestMemory.PAGE_SIZE;
    }

    /**
     * Reads a batch's count and page headers into {@code headers}, checking each page lies in a memory of
     * {@code pages}; a raw batch is never empty and its pages ascend.
     */
    static Batch readPageHeaders(DataInputStream in, byte[] headers, int pages, boolean raw) throws IOException {
        boolean ascending = raw;
        int count = in.readInt();
        if (count < (raw ? 1 : 0) || count > (raw ? Frames.RAW_BATCH_PAGES : Frames.BATCH_PAGES)) {
            throw new IOException("page batch of " + count + " pages is out of range");
        }
        int headerLength = count * Frames.PAGE_HEADER;
        in.readFully(headers, 0, headerLength);
        ByteBuffer view = ByteBuffer.wrap(headers);
        int dataPages = 0;
        int previous = -1;
        for (int at = 0; at < headerLength; at += Frames.PAGE_HEADER) {
            int page = view.getInt(at);
            if (page < 0 || page >= pages || (ascending && page <= previous)) {
                throw new IOException("page " + page + " is outside the skeleton's " + pages + " pages"
                        + (ascending ? " or not in ascending order" : ""));
            }
            previous = page;
            byte kind = headers[at + 4];
            if (kind != Frames.PAGE_DATA && kind != Frames.PAGE_ZERO) {
                throw new IOException("page " + page + " has unknown kind " + kind);
            }
            dataPages += kind == Frames.PAGE_DATA ? 1 : 0;
        }
        return new Batch(count, dataPages);
    }

    /** What {@link DataOutputStream#writeUTF} puts on the wire for {@code s}: its length, then modified UTF-8. */
    static int utfBytes(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            bytes += c >= 1 && c <= 0x7f ? 1 : c <= 0x7ff ? 2 : 3;
        }
        return 2 + bytes;
    }
}
