package io.ferry.orchestrator.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ferry.orchestrator.submit.RejectedRequestException.Reason;
import io.ferry.schema.request.MigrationRequest;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RestAndTopicRefuseTheSameJsonNamingTheFieldTest {
    private final RequestDecoder decoder = new RequestDecoder();

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private RejectedRequestException fromRest(String body) {
        return catchThrowableOfType(RejectedRequestException.class, () -> decoder.decodeRest(utf8(body), "ops"));
    }

    private RejectedRequestException fromTopic(String body) {
        var headers = new RecordHeaders();
        headers.add(RequestDecoder.CONTENT_TYPE, utf8("application/json"));
        return catchThrowableOfType(RejectedRequestException.class, () -> decoder.decode(utf8(body), headers));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "a misspelt field        | \"bandwithMbps\": 5            | bandwithMbps  | unknown field(s) [bandwithMbps]",
            "a fraction for an int   | \"bandwidthMbps\": 1.5         | bandwidthMbps | must be an integer, got 1.5",
            "a string for an int     | \"maxRounds\": \"5\"           | maxRounds     | must be an integer, got \"5\"",
            "a number for a boolean  | \"autoConverge\": 1            | autoConverge  | must be true or false",
            "an unknown compression  | \"compression\": \"gzip\"      | compression   | must be one of [NONE, LZ4, ZSTD]"})
    void both_channels_refuse_a_bad_field_and_name_it(String what, String field, String named, String message) {
        // given a request otherwise complete
        String body = "{\"requestId\": \"r-1\", \"vmId\": \"SERVER2\", \"destinationHost\": \"hv-02\", " + field + "}";

        // when REST and the topic read it
        RejectedRequestException rest = fromRest(body);
        RejectedRequestException topic = fromTopic(body);

        // then both refuse it the same way, naming the field
        assertThat(rest.reason()).isEqualTo(Reason.MALFORMED);
        assertThat(rest.field()).hasValue(named);
        assertThat(rest.getMessage()).contains(message).isEqualTo(topic.getMessage());
        assertThat(topic.field()).hasValue(named);
    }

    @Test
    void bad_json_is_refused_with_the_parsers_reason_and_where() {
        RejectedRequestException rest = fromRest("{\"vmId\": \"SERVER2\",\n \"destinationHost\": hv-02}");

        assertThat(rest.reason()).isEqualTo(Reason.MALFORMED);
        assertThat(rest.getMessage()).startsWith("the value is not valid JSON: Unrecognized token 'hv'")
                .endsWith("(at line 2, column 21)");
    }

    @Test
    void rest_makes_a_request_id_when_there_is_none_and_names_the_logged_in_user_only() {
        MigrationRequest request = decoder.decodeRest(utf8("{\"vmId\": \"SERVER2\", \"destinationHost\": \"hv-02\"}"), "ops");
        assertThat(request.getRequestId()).isNotBlank();
        assertThat(request.getRequestedBy()).isEqualTo("ops");

        RejectedRequestException claimed = fromRest("{\"vmId\": \"SERVER2\", \"destinationHost\": \"hv-02\", "
                + "\"requestedBy\": \"admin\"}");
        assertThat(claimed.field()).hasValue("requestedBy");
    }
}
