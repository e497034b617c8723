package io.ferry.hypervisor.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class EachFrameReadsBackWhatWasWrittenAndCountsItsBytesTest {
    private final ByteArrayOutputStream wire = new ByteArrayOutputStream();
    private final DataOutputStream out = new DataOutputStream(wire);

    private DataInputStream afterType(byte expectedType) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(wire.toByteArray()));
        assertThat(in.readByte()).isEqualTo(expectedType);
        return in;
    }

    @Test
    void the_handshake_frames_carry_the_id_nonces_and_proofs() throws IOException {
        // given a HELLO, as the source sends it
        byte[] nonce = Handshake.nonce();
        DataChannelCodec.hello(out, "m-1", nonce);

        // when the destination reads it, then it has the id and the nonce
        DataChannelCodec.Hello hello = DataChannelCodec.readHello(afterType(Frames.HELLO));
        assertThat(hello.migrationId()).isEqualTo("m-1");
        assertThat(hello.sourceNonce()).isEqualTo(nonce);

        // and a CHALLENGE reads back its nonce and proof
        wire.reset();
        byte[] proof = new byte[Handshake.PROOF];
        proof[3] = 7;
        DataChannelCodec.challenge(out, nonce, proof);
        DataChannelCodec.Challenge challenge = DataChannelCodec.readChallenge(afterType(Frames.CHALLENGE));
        assertThat(challenge.destinationNonce()).isEqualTo(nonce);
        assertThat(challenge.destinationProof()).isEqualTo(proof);
    }

    @Test
    void the_counted_frames_say_exactly_how_many_bytes_they_wrote() throws IOException {
        // when each counted frame is written, then its count is what reached the wire, and it reads back
        long hint = DataChannelCodec.hint(out, new long[] {1L, -1L});
        out.flush();
        assertThat(hint).isEqualTo(wire.size());
        assertThat(DataChannelCodec.readHint(afterType(Frames.HINT), 128)).containsExactly(1L, -1L);

        wire.reset();
        assertThat(DataChannelCodec.awaitPrefault(out, 1000)).isEqualTo(wire.size());
        assertThat(DataChannelCodec.readAwaitPrefault(afterType(Frames.AWAIT_PREFAULT))).isEqualTo(1000);

        wire.reset();
        assertThat(DataChannelCodec.deviceState(out, new byte[] {1, 2, 3})).isEqualTo(wire.size());
        assertThat(DataChannelCodec.readDeviceState(afterType(Frames.DEVICE_STATE))).containsExactly(1, 2, 3);

        wire.reset();
        Instant paused = Instant.ofEpochMilli(1_700_000_000_123L);
        assertThat(DataChannelCodec.complete(out, "crc32c:ÿ€", paused)).isEqualTo(wire.size());
        assertThat(DataChannelCodec.readComplete(afterType(Frames.COMPLETE)))
                .isEqualTo(new DataChannelCodec.Complete("crc32c:ÿ€", paused));
    }

    @Test
    void a_pages_frame_is_as_long_as_its_size_says_and_its_headers_read_back() throws IOException {
        // given a batch of two pages, one with content, one zero
        byte[] headers = new byte[2 * Frames.PAGE_HEADER];
        ByteBuffer.wrap(headers).putInt(0, 9).put(4, Frames.PAGE_DATA).putInt(5, 3).put(9, Frames.PAGE_ZERO);
        byte[] payload = new byte[GuestMemory.PAGE_SIZE];

        // when it is written
        DataChannelCodec.pagesHead(out, 2, headers);
        DataChannelCodec.pagesBody(out, Frames.CODEC_RAW, payload, payload.length, 42L);
        out.flush();

        // then its size is what went, and the headers read back with one data page
        assertThat(DataChannelCodec.pagesFrame(2, payload.length)).isEqualTo(wire.size());
        byte[] read = new byte[headers.length];
        DataChannelCodec.Batch batch = DataChannelCodec.readPageHeaders(afterType(Frames.PAGES), read, 16, false);
        assertThat(batch).isEqualTo(new DataChannelCodec.Batch(2, 1));
        assertThat(read).isEqualTo(headers);
    }

    @Test
    void a_raw_head_plus_its_payload_is_as_long_as_its_size_says_and_refuses_pages_out_of_order() throws IOException {
        // given a raw batch whose pages do not ascend
        byte[] headers = new byte[2 * Frames.PAGE_HEADER];
        ByteBuffer.wrap(headers).putInt(0, 9).put(4, Frames.PAGE_DATA).putInt(5, 3).put(9, Frames.PAGE_DATA);
        ByteBuffer head = ByteBuffer.allocate(DataChannelCodec.RAW_HEAD_CAPACITY);

        // when its head is built
        DataChannelCodec.rawHead(head, 2, headers, new int[] {11, 12}, 2, new CRC32C());

        // then head and payload make the frame's size
        assertThat(head.remaining() + 2L * GuestMemory.PAGE_SIZE).isEqualTo(DataChannelCodec.rawFrame(2, 2));
        // and the destination refuses it, naming the page
        out.write(head.array(), 0, head.remaining());
        out.flush();
        DataInputStream in = afterType(Frames.PAGES_RAW);
        assertThatThrownBy(() -> DataChannelCodec.readPageHeaders(in, new byte[headers.length], 16, true))
                .isInstanceOf(IOException.class).hasMessageContaining("page 3").hasMessageContaining("ascending");
    }
}
