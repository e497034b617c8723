package io.ferry.hypervisor.simulated;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The switchover's digest hashes the page checksums a chunk at a time; it must stay the digest of all of them in order,
 * big-endian, then the device state (what an agent of the previous version computes for the same guest).
 */
class TheMemoryDigestHashesEveryPageChecksumInOrderTest {
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 16_383, 16_384, 16_385, 262_144, 300_001})
    void the_digest_equals_the_one_over_the_whole_array(int pages) {
        // given page checksums and a device state
        Random random = new Random(pages);
        int[] checksums = random.ints(pages).toArray();
        byte[] deviceState = new byte[256];
        random.nextBytes(deviceState);

        // when they are digested
        String digest = GuestMemory.digest(checksums, deviceState);

        // then it is CRC32C and CRC32 over the whole array's big-endian bytes and the device state
        assertThat(digest).isEqualTo(wholeArray(checksums, deviceState));
    }

    private static String wholeArray(int[] checksums, byte[] deviceState) {
        ByteBuffer all = ByteBuffer.allocate(checksums.length * 4);
        all.asIntBuffer().put(checksums);
        CRC32C castagnoli = new CRC32C();
        CRC32 ieee = new CRC32();
        castagnoli.update(all.array());
        castagnoli.update(deviceState);
        ieee.update(all.array());
        ieee.update(deviceState);
        return HexFormat.of().toHexDigits((int) castagnoli.getValue()) + HexFormat.of().toHexDigits((int) ieee.getValue());
    }
}
