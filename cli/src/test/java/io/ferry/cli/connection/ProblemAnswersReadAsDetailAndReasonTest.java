package io.ferry.cli.connection;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProblemAnswersReadAsDetailAndReasonTest {

    @Test
    void a_problem_reads_as_its_detail_and_reason() {
        // given a problem+json answer to a cancel after the final copy began
        String body = """
                {"type":"about:blank","title":"cancel refused","status":409,
                 "detail":"migration is in FINAL_COPY; cancel is accepted only before the final copy",
                 "reason":"CANCEL_REFUSED","state":"FINAL_COPY"}""";

        // when it is parsed
        Problem problem = Problem.parse(409, body);

        // then the CLI prints its detail and reason, and it counts as the client's error
        assertThat(problem.message()).isEqualTo(
                "ferry: migration is in FINAL_COPY; cancel is accepted only before the final copy (CANCEL_REFUSED)");
        assertThat(problem.clientError()).isTrue();
    }

    @Test
    void without_a_reason_the_http_status_stands_in() {
        // when a problem has no reason (Spring's own 404)
        Problem problem = Problem.parse(404, "{\"title\":\"Not Found\",\"status\":404,\"detail\":\"No static resource x.\"}");

        // then the status is named instead
        assertThat(problem.message()).isEqualTo("ferry: No static resource x. (HTTP 404)");
    }

    @Test
    void without_a_detail_the_title_stands_in() {
        // when a problem has only a title
        Problem problem = Problem.parse(500, "{\"title\":\"Internal Server Error\",\"status\":500}");

        // then the title is printed, and it is not the client's error
        assertThat(problem.message()).isEqualTo("ferry: Internal Server Error (HTTP 500)");
        assertThat(problem.clientError()).isFalse();
    }

    @Test
    void a_body_that_is_not_json_still_says_what_happened() {
        // when a proxy answers with text, or with nothing
        Problem text = Problem.parse(502, "Bad Gateway");
        Problem empty = Problem.parse(503, "");

        // then the text, or the status, is printed
        assertThat(text.message()).isEqualTo("ferry: Bad Gateway (HTTP 502)");
        assertThat(empty.message()).isEqualTo("ferry: the server answered HTTP 503 (HTTP 503)");
    }
}
