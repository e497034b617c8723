package io.ferry.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The chaos soak (see {@link ChaosSoak} and {@link SoakMigration}): at least 30 migrations under at least 100 faults,
 * every invariant checked after each. Long (about a minute per migration on two cores), so it runs only when asked:
 * {@code mvn -B verify -pl system-tests -am -Dferry.soak=true -Dtest=AChaosSoakOfThirtyMigrationsKeepsEveryInvariantTest
 * -Dsurefire.failIfNoSpecifiedTests=false}, with {@code -Dsoak.migrations}, {@code -Dsoak.faults} and
 * {@code -Dsoak.seed} to change it. Needs root for the hosts' network namespaces.
 */
@EnabledIfSystemProperty(named = "ferry.soak", matches = "true")
class AChaosSoakOfThirtyMigrationsKeepsEveryInvariantTest {

    @Test
    void thirty_migrations_under_a_hundred_faults_keep_every_invariant() {
        // given two hosts in their own network namespaces, a broker, a database and an orchestrator
        var unavailable = HostNamespaces.unavailable();
        Assumptions.assumeTrue(unavailable.isEmpty(), () -> "skipped: " + unavailable.orElseThrow());
        ChaosSoak.Settings settings = ChaosSoak.Settings.fromSystemProperties(30, 100);

        // when the migrations run while faults are injected
        SoakReport report;
        try (ChaosSoak soak = ChaosSoak.start(settings, AChaosSoakOfThirtyMigrationsKeepsEveryInvariantTest.class)) {
            report = soak.run();
        }

        // then no invariant was violated
        assertThat(report.violations()).as(report.summary()).isEmpty();
        assertThat(report.migrationCount()).as(report.summary()).isEqualTo(settings.migrations());
    }
}
