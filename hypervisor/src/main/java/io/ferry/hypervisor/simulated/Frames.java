package io.ferry.hypervisor.simulated;

/**
 * The simulated driver's data channel: length-implied binary frames over one TCP connection per migration.
 * The handshake ({@link Handshake}): the source sends HELLO (migration id, its nonce); the destination answers
 * CHALLENGE (its nonce and its proof of the token) or ERROR; the source sends PROOF (its proof of the token); the
 * destination answers OK or ERROR, and the source then checks the destination's proof. The token itself never travels
 * here. Then the source sends CONFIG, HINT, AWAIT_PREFAULT (answered once the skeleton's memory is allocated far
 * enough ahead of the stream), PAGES or PAGES_RAW batches, DEVICE_STATE and COMPLETE; the destination answers CONFIG,
 * AWAIT_PREFAULT and COMPLETE with OK or ERROR and a message. Page data never travels through Kafka.
 *
 * <p>A PAGES batch: count, then per page its number and kind (5 bytes each), then the codec, the payload length and
 * the payload (the DATA pages back to back, raw or compressed), then a CRC32C over the page headers and the
 * uncompressed payload, so corruption is caught after decompression as well as before.
 *
 * <p>A PAGES_RAW batch (no compression): count, the page headers (in ascending page order), a CRC32C per DATA page,
 * a CRC32C over headers and page checksums, then the DATA pages back to back. The destination reads the pages straight
 * into guest memory and checks each there, so every byte is covered by a checksum and crosses memory once per side
 * besides the kernel's copies.
 */
final class Frames {
    static final byte HELLO = 1;
    static final byte CONFIG = 2;
    static final byte PAGES = 3;
    static final byte DEVICE_STATE = 4;
    static final byte COMPLETE = 5;
    static final byte CHALLENGE = 6;
    static final byte PROOF = 7;
    /** Source to destination after CONFIG: the bitmap of pages round 1 will send with content, for {@link Prefaulter}. */
    static final byte HINT = 8;
    /** Source, before round 1: the link's cap in Mbit/s; the destination answers OK once its prefault is far enough ahead. */
    static final byte AWAIT_PREFAULT = 9;
    /** An uncompressed batch, checksummed page by page so each side passes over the data once (see the class comment). */
    static final byte PAGES_RAW = 10;
    static final byte OK = 0x10;
    static final byte ERROR = 0x11;

    static final byte PAGE_DATA = 0;
    /** An all-zero page travels as this marker alone, not as 4 KiB of zeros. */
    static final byte PAGE_ZERO = 1;
    static final int PAGE_HEADER = 5;

    /** Per batch, so a batch that does not compress goes raw whatever the migration's setting. */
    static final byte CODEC_RAW = 0;
    static final byte CODEC_LZ4 = 1;
    static final byte CODEC_ZSTD = 2;

    static final int BATCH_PAGES = 64;
    static final int BATCH_BYTES = BATCH_PAGES * GuestMemory.PAGE_SIZE;
    /** Raw batches are larger: fewer syscalls and headers per byte, and no codec works through them. */
    static final int RAW_BATCH_PAGES = 256;
    static final int RAW_BATCH_BYTES = RAW_BATCH_PAGES * GuestMemory.PAGE_SIZE;
    static final int MAX_DEVICE_STATE = 1 << 20;

    /**
     * Socket and stream buffers: small enough that data in flight stays near a real link's bandwidth-delay product,
     * so the pacer's count matches the wire and the final copy never queues behind megabytes of earlier pages.
     */
    static final int SOCKET_BUFFER = 256 << 10;

    private Frames() {}
}
