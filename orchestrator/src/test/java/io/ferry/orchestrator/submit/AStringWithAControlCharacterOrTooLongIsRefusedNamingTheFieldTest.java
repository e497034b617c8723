package io.ferry.orchestrator.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ferry.orchestrator.submit.RejectedRequestException.Reason;
import io.ferry.schema.request.MigrationRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AStringWithAControlCharacterOrTooLongIsRefusedNamingTheFieldTest {

    private static MigrationRequest.Builder request() {
        return MigrationRequest.newBuilder().setRequestId("r-1").setVmId("SERVER2").setDestinationHost("hv-02");
    }

    @ParameterizedTest(name = "U+{0}")
    @ValueSource(ints = {0x00, 0x0a, 0x0d, 0x1b, 0x7f, 0x85, 0x9b, 0x2028})
    void a_control_character_in_the_vm_id_is_refused_naming_the_field_and_the_character(int c) {
        // given a vmId holding a control character
        MigrationRequest bad = request().setVmId("SERVER" + (char) c + "2").build();

        // when the request is checked
        var refused = catchThrowableOfType(RejectedRequestException.class, () -> RequestStrings.check(bad));

        // then it is refused naming vmId and the character, and the message itself holds no control character
        assertThat(refused.reason()).isEqualTo(Reason.INVALID_REQUEST);
        assertThat(refused.field()).hasValue("vmId");
        assertThat(refused.getMessage()).contains("field 'vmId'").contains(String.format("U+%04X", c))
                .doesNotContain(String.valueOf((char) c));
    }

    @Test
    void every_string_field_is_checked_not_only_the_ids() {
        var refused = catchThrowableOfType(RejectedRequestException.class,
                () -> RequestStrings.check(request().setRequestedBy("ops\n").build()));
        assertThat(refused.field()).hasValue("requestedBy");
    }

    @Test
    void a_string_over_the_limit_is_refused_with_the_limit_named() {
        var refused = catchThrowableOfType(RejectedRequestException.class, () -> RequestStrings.check(
                request().setSourceHost("h".repeat(RequestStrings.MAX_LENGTH + 1)).build()));
        assertThat(refused.field()).hasValue("sourceHost");
        assertThat(refused.getMessage()).contains("is 129 characters long; at most 128 are accepted");
    }

    @Test
    void a_clean_request_passes() {
        RequestStrings.check(request().setRequestedBy("kcat-user").setSourceHost("h".repeat(128)).build());
    }
}
