package io.ferry.cli.commands;

import static io.ferry.cli.testing.Fixtures.ID;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.cli.testing.Fixtures;
import io.ferry.cli.testing.Run;
import io.ferry.cli.testing.StubFerry;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class ErrorsPrintDetailAndReasonWithAnExitCodeByStatusTest {

    @Test
    void a_refused_request_exits_2_with_the_problem_on_stderr() throws Exception {
        // given a migration past its final copy
        try (StubFerry api = new StubFerry().on("GET /api/migrations/" + ID, 200, Fixtures.migration(ID, "STORAGE", null,
                null, null)).on("POST /api/migrations/" + ID + "/cancel", 409, Fixtures.problem(409, "cancel refused",
                "migration is in STORAGE; too late to cancel", "CANCEL_REFUSED"))) {

            // when an operator cancels it
            Run run = Run.ferry(api, "cancel", ID);

            // then the refusal is printed on stderr as detail (reason), nothing on stdout, and the exit code is 2
            assertThat(run.err()).isEqualTo("ferry: migration is in STORAGE; too late to cancel (CANCEL_REFUSED)\n");
            assertThat(run.out()).isEmpty();
            assertThat(run.exitCode()).isEqualTo(2);
        }
    }

    @Test
    void a_server_failure_exits_1() throws Exception {
        // given a server that fails
        try (StubFerry api = new StubFerry().on("GET /api/vms", 500, "{\"title\":\"Internal Server Error\",\"status\":500,"
                + "\"detail\":\"database unavailable\"}")) {

            // when vms runs
            Run run = Run.ferry(api, "vms");

            // then
            assertThat(run.err()).isEqualTo("ferry: database unavailable (HTTP 500)\n");
            assertThat(run.exitCode()).isEqualTo(1);
        }
    }

    @Test
    void no_server_exits_1_naming_the_url_and_how_to_start_one() throws Exception {
        // given a port nobody listens on
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }

        // when list runs against it
        Run run = Run.ferry("list", "--url", "http://127.0.0.1:" + port, "--user", "ops", "--password", "pw");

        // then
        assertThat(run.err()).startsWith("ferry: cannot reach the orchestrator at http://127.0.0.1:" + port)
                .contains("./ferry up").contains("--url");
        assertThat(run.exitCode()).isEqualTo(1);
    }

    @Test
    void unauthenticated_without_credentials_says_how_to_give_them() throws Exception {
        // given the API wants a user and the CLI has none (another URL than up's, no user given)
        try (StubFerry api = new StubFerry().on("GET /api/hosts", 401, Fixtures.problem(401, "authentication required",
                "send HTTP Basic credentials of a ferry user", "UNAUTHENTICATED"))) {

            // when hosts runs
            Run run = Run.ferry("hosts", "--url", api.url());

            // then the problem is printed and how to give credentials
            assertThat(run.err()).startsWith("ferry: send HTTP Basic credentials of a ferry user (UNAUTHENTICATED)\n")
                    .contains("--user and --password").contains("./ferry up");
            assertThat(run.exitCode()).isEqualTo(2);
        }
    }

    @Test
    void an_unknown_id_exits_2() throws Exception {
        // given no migration has this id or request id
        try (StubFerry api = new StubFerry().on("GET /api/migrations", 200, Fixtures.page(0))) {

            // when status runs
            Run run = Run.ferry(api, "status", "nightly-42");

            // then
            assertThat(run.err()).isEqualTo("ferry: no migration has the id or request id 'nightly-42'; see ferry list "
                    + "(NOT_FOUND)\n");
            assertThat(run.exitCode()).isEqualTo(2);
        }
    }
}
