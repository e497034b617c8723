package io.ferry.orchestrator.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.schema.MigrationStatus;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The statuses are written once, in schemas; the core's stages and the database's frozen index must agree with them. */
class TheStatusSetsMatchTheStagesAndTheIndexTest {

    @Test
    void every_stage_is_a_status_in_flight_and_the_core_counts_the_same_ones() {
        for (Stage stage : Stage.values()) {
            assertThat(MigrationStatus.parse(stage.name())).as(stage.name()).isNotNull()
                    .satisfies(s -> assertThat(s.inFlight()).isTrue());
        }
        assertThat(MigrationState.IN_FLIGHT).containsExactlyElementsOf(MigrationStatus.names(MigrationStatus.IN_FLIGHT));
        assertThat(MigrationStatus.TERMINAL).extracting(Enum::name)
                .containsExactlyInAnyOrder("COMPLETED", "CANCELLED", "ROLLED_BACK", "FAILED");
    }

    @Test
    void the_one_active_migration_per_vm_index_excludes_exactly_the_terminal_statuses_and_rejected() throws Exception {
        // given the schema's V1, which froze the index predicate as a literal list
        String v1;
        try (InputStream in = getClass().getClassLoader()
                .getResourceAsStream("db/migration/V1__event_log_outbox_projections.sql")) {
            assertThat(in).as("V1 on the classpath").isNotNull();
            v1 = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Matcher m = Pattern.compile("migrations_one_active_per_vm[^;]*state not in \\(([^)]*)\\)").matcher(v1);
        assertThat(m.find()).isTrue();

        // then it names exactly the terminal statuses and REJECTED, as the submission check counts them
        Set<String> excluded = new HashSet<>(Arrays.stream(m.group(1).split(",")).map(s -> s.strip().replace("'", "")).toList());
        Set<String> expected = new HashSet<>(MigrationStatus.names(MigrationStatus.TERMINAL));
        expected.add("REJECTED");
        assertThat(excluded).isEqualTo(expected);
    }
}
