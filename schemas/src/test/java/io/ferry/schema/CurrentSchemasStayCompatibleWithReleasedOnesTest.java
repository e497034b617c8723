package io.ferry.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;

class CurrentSchemasStayCompatibleWithReleasedOnesTest {

    @Test
    void every_current_schema_keeps_its_rule_against_every_released_version() throws Exception {
        // given every released schema version, grouped by record name
        Map<String, List<Schema>> released = ReleasedSchemas.index().stream().map(ReleasedSchemas::load)
                .collect(Collectors.groupingBy(Schema::getFullName));
        assertThat(released).containsKeys("io.ferry.schema.event.MigrationRequested",
                "io.ferry.schema.agent.StageCommand", "io.ferry.schema.request.MigrationRequest");

        // when each current (generated) schema is checked against all of its released versions
        List<String> problems = released.entrySet().stream().map(e -> {
            Schema current = currentSchema(e.getKey());
            return SchemaCompatibility.requiredFor(e.getKey()).check(current, e.getValue());
        }).flatMap(Optional::stream).toList();

        // then none breaks its rule
        assertThat(problems).isEmpty();
    }

    @Test
    void the_check_rejects_a_field_added_without_a_default() {
        // given the released MigrationFailed and a version that adds a required field
        Schema old = ReleasedSchemas.versionsOf("io.ferry.schema.event.MigrationFailed").getFirst();
        Schema broken = new Schema.Parser().parse(old.toString().replace(
                "\"fields\":[", "\"fields\":[{\"name\":\"severity\",\"type\":\"int\"},"));

        // when it is checked as the event log's rule demands
        Optional<String> problem = SchemaCompatibility.FULL_TRANSITIVE.check(broken, List.of(old));

        // then it is refused, naming the record
        assertThat(problem).hasValueSatisfying(p -> assertThat(p).contains("MigrationFailed"));
    }

    @Test
    void event_log_rule_rejects_a_removed_field_that_old_readers_need() {
        // given the released StorageAcquired and a version without its required epoch
        Schema old = ReleasedSchemas.versionsOf("io.ferry.schema.event.StorageAcquired").getFirst();
        Schema broken = new Schema.Parser().parse(old.toString()
                .replace(",{\"name\":\"epoch\",\"type\":\"long\"}", ""));
        assertThat(broken.getField("epoch")).isNull();

        // when / then
        assertThat(SchemaCompatibility.FULL_TRANSITIVE.check(broken, List.of(old))).isPresent();
    }

    private static Schema currentSchema(String fullName) {
        try {
            return SpecificData.get().getSchema(Class.forName(fullName));
        } catch (ClassNotFoundException e) {
            throw new AssertionError("released schema " + fullName + " has no generated class any more: "
                    + "a released record may not disappear", e);
        }
    }
}
