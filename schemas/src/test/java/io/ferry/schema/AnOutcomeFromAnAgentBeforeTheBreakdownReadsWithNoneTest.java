package io.ferry.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.schema.agent.AgentOutcome;
import io.ferry.schema.agent.OutcomeKind;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

class AnOutcomeFromAnAgentBeforeTheBreakdownReadsWithNoneTest {

    @Test
    void a_resumed_outcome_written_with_the_released_schema_decodes_without_a_breakdown() throws Exception {
        // given a RESUMED outcome encoded with the released AgentOutcome, which has no downtimeBreakdown
        Schema released = ReleasedSchemas.versionsOf("io.ferry.schema.agent.AgentOutcome").getFirst();
        assertThat(released.getField("downtimeBreakdown")).isNull();
        GenericRecord old = new GenericData.Record(released);
        old.put("outcomeId", "o-1");
        old.put("commandId", "00000000-0000-0000-0000-000000000007");
        old.put("migrationId", "0b6f3f0e-8f3a-4c55-9d0e-2f1f6a1c9e11");
        old.put("host", "hv-02");
        old.put("occurredAt", Instant.parse("2026-11-26T10:00:00.078Z").toEpochMilli());
        old.put("kind", new GenericData.EnumSymbol(released.getField("kind").schema(), "RESUMED"));
        old.put("memoryChecksum", "abc");
        ByteBuffer buffer = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), released).encode(old);
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);

        // when today's codec decodes it
        AgentOutcome outcome = AvroCodec.of(AgentOutcome.class).decode(bytes);

        // then it is the same resume, its breakdown null
        assertThat(outcome.getKind()).isEqualTo(OutcomeKind.RESUMED);
        assertThat(outcome.getMemoryChecksum()).isEqualTo("abc");
        assertThat(outcome.getDowntimeBreakdown()).isNull();
    }
}
