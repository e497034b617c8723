package io.ferry.hypervisor.simulated;

import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Per-page CRC32C kept while pages cross the data channel: the source records what it sent, the destination what
 * it stored. At the final copy both digests are ready, so the blackout needs no pass over the whole memory.
 */
final class PageCrc {
    static final int ZERO_PAGE = of(new byte[GuestMemory.PAGE_SIZE], 0);

    private PageCrc() {}

    static int of(byte[] buffer, int offset) {
        CRC32C crc = new CRC32C();
        crc.update(buffer, offset, GuestMemory.PAGE_SIZE);
        return (int) crc.getValue();
    }

    /** A guest's memory before any page arrived or was sent: all zero. */
    static int[] allZero(int pages) {
        int[] sums = new int[pages];
        Arrays.fill(sums, ZERO_PAGE);
        return sums;
    }
}
