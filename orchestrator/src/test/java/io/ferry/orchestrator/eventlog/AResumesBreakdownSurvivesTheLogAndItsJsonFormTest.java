package io.ferry.orchestrator.eventlog;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.orchestrator.core.DowntimeBreakdown;
import io.ferry.orchestrator.core.Ids.HostId;
import io.ferry.orchestrator.core.MigrationEvent;
import io.ferry.orchestrator.core.MigrationEvent.VmResumed;
import io.ferry.schema.ReleasedSchemas;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AResumesBreakdownSurvivesTheLogAndItsJsonFormTest {
    private static final Instant AT = Instant.parse("2026-11-26T10:00:00.078Z");
    private static final HostId H = new HostId("hv-02");
    private final EventCodec codec = new EventCodec();

    static Stream<VmResumed> resumes() {
        return Stream.of(
                new VmResumed(H, AT, 74, "abc", new DowntimeBreakdown(74_000, 52_000, null, 3_100, 4_000, 9_200, 5_700, null)),
                new VmResumed(H, AT, 74, "abc", new DowntimeBreakdown(74_000, 50_000, 2_000L, 3_100, 4_000, 9_200, -300,
                        40_000L)),
                new VmResumed(H, AT, 74, "abc", null));
    }

    @ParameterizedTest
    @MethodSource("resumes")
    void a_resume_reads_back_equal_from_the_log_and_from_its_json(VmResumed resumed) {
        // when the resume is written to the log (bytes) and to its JSON form (history, export), and read back
        MigrationEvent fromBytes = codec.decode(codec.type(resumed), codec.encode(resumed));
        MigrationEvent fromJson = codec.fromJson(codec.type(resumed), codec.json(resumed));

        // then both are the same resume
        assertThat(fromBytes).isEqualTo(resumed);
        assertThat(fromJson).isEqualTo(resumed);
    }

    @Test
    void the_json_form_wraps_the_breakdown_as_avro_does_a_union() {
        // given a resume with a breakdown whose device state was not timed on its own
        VmResumed resumed = resumes().findFirst().orElseThrow();

        // when it is written as the history's JSON
        String json = codec.json(resumed);

        // then the breakdown and its optional figures are wrapped in their union branch (what the CLI unwraps)
        assertThat(json).contains("\"downtimeBreakdown\":{\"io.ferry.schema.common.DowntimeBreakdown\":{\"totalUs\":74000,")
                .contains("\"deviceStateUs\":null").contains("\"authorisationWaitUs\":null");
    }

    @Test
    void a_resume_logged_before_the_breakdown_existed_reads_with_none() throws IOException {
        // given a VmResumed as the log holds it from before: the released schema, which has no breakdown
        Schema released = ReleasedSchemas.versionsOf("io.ferry.schema.event.VmResumed").getFirst();
        assertThat(released.getField("downtimeBreakdown")).isNull();
        GenericRecord old = new GenericData.Record(released);
        old.put("host", "hv-02");
        old.put("resumedAt", AT.toEpochMilli());
        old.put("downtimeMs", 74L);
        old.put("memoryChecksum", "abc");
        ByteBuffer buffer = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), released).encode(old);
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);

        // when today's codec reads it
        MigrationEvent read = codec.decode("VmResumed", bytes);

        // then it is the same resume, without a breakdown
        assertThat(read).isEqualTo(new VmResumed(H, AT, 74, "abc", null));
    }
}
