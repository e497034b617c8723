package io.ferry.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.testkit.FerryStackExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.dao.QueryTimeoutException;

/**
 * The orchestrator's statements are bounded by PostgreSQL's statement_timeout, set on the pool's connections (not by
 * JDBC's query timeout, whose per-statement timer task cost CPU on every statement): a statement still running after
 * 5 s (a lock wait, say) is cancelled by the server and its caller gets an error it maps to 503.
 */
class AStatementStillRunningAfterFiveSecondsIsCancelledByTheServerTest {
    @RegisterExtension
    static final FerryStackExtension stack = FerryApps.stack();

    @Test
    void the_pools_connections_carry_the_servers_timeout() {
        // when the orchestrator's own connection is asked for its statement timeout
        String timeout = stack.jdbc().queryForObject("show statement_timeout", String.class);

        // then it is the server's 5 s
        assertThat(timeout).isEqualTo("5s");
    }

    @Test
    void a_statement_that_outlives_it_fails_as_a_query_timeout() {
        // when a statement of the orchestrator's runs longer than 5 s
        long start = System.nanoTime();
        assertThatThrownBy(() -> stack.jdbc().queryForObject("select pg_sleep(8)", Object.class))
                // then the server cancels it, and the caller gets a query timeout naming the statement timeout
                .isInstanceOf(QueryTimeoutException.class)
                .hasMessageContaining("statement timeout");
        // once the 5 s had passed (an error of another kind would come at once)
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(4_900L);
    }
}
