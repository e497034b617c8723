package io.ferry.agent.hypervisor.simulated;

/**
 * The simulated driver's data channel: length-implied binary frames over one TCP connection per migration.
 * Source to destination: HELLO, CONFIG, then PAGES batches, DEVICE_STATE and COMPLETE. The destination answers
 * HELLO+CONFIG and COMPLETE with OK or ERROR and a message. Page data never travels through Kafka.
 */
final class Frames {
    static final byte HELLO = 1;
    static final byte CONFIG = 2;
    static final byte PAGES = 3;
    static final byte DEVICE_STATE = 4;
    static final byte COMPLETE = 5;
    static final byte OK = 0x10;
    static final byte ERROR = 0x11;

    static final byte PAGE_DATA = 0;
    /** An all-zero page travels as this marker alone, not as 4 KiB of zeros. */
    static final byte PAGE_ZERO = 1;

    static final int BATCH_PAGES = 64;
    static final int MAX_DEVICE_STATE = 1 << 20;

    private Frames() {}
}
