package io.ferry.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.schema.common.FailureReason;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** Agents and orchestrators of different releases share one list of failure reasons: it may only grow. */
class FailureReasonsOnlyGrowTest {
    private static final Schema RELEASED = ReleasedSchemas.versionsOf("io.ferry.schema.common.FailureReason").getFirst();

    @Test
    void every_released_reason_keeps_its_name_and_place_and_unknown_ones_read_as_agent_error() {
        // given the released list and the current one
        List<String> released = RELEASED.getEnumSymbols();
        List<String> current = FailureReason.getClassSchema().getEnumSymbols();

        // then the current list starts with the released one, in order, and keeps the default
        assertThat(current.subList(0, released.size())).isEqualTo(released);
        assertThat(FailureReason.getClassSchema().getEnumDefault()).isEqualTo("AGENT_ERROR");
        assertThat(RELEASED.getEnumDefault()).isEqualTo("AGENT_ERROR");
        assertThat(current).contains("ROLLBACK_REFUSED");
    }

    @Test
    void without_the_default_an_older_reader_could_not_take_a_new_reason() {
        // given the released list as a reader without its default, and a list with one more reason
        Schema readerWithoutDefault = new Schema.Parser().parse(RELEASED.toString()
                .replace(",\"default\":\"AGENT_ERROR\"", ""));
        assertThat(readerWithoutDefault.getEnumDefault()).isNull();
        Schema grown = new Schema.Parser().parse(RELEASED.toString()
                .replace("\"ROLLBACK_REFUSED\"]", "\"ROLLBACK_REFUSED\",\"DISK_FULL\"]"));

        // when it is checked as the event log's rule demands, then it is refused: the default is what lets it grow
        assertThat(SchemaCompatibility.FULL_TRANSITIVE.check(grown, List.of(readerWithoutDefault))).isPresent();
    }

    @Test
    void a_reason_added_with_the_default_kept_is_accepted() {
        // given the released list with one more symbol, its default kept
        Schema grown = new Schema.Parser().parse(RELEASED.toString()
                .replace("\"ROLLBACK_REFUSED\"]", "\"ROLLBACK_REFUSED\",\"DISK_FULL\"]"));

        // when / then: old readers read DISK_FULL as AGENT_ERROR, so it passes
        assertThat(SchemaCompatibility.FULL_TRANSITIVE.check(grown, List.of(RELEASED))).isEmpty();
    }
}
