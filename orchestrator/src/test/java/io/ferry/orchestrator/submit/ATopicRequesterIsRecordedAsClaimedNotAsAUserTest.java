package io.ferry.orchestrator.submit;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.orchestrator.core.MigrationCommand.Channel;
import io.ferry.schema.request.MigrationRequest;
import org.junit.jupiter.api.Test;

class ATopicRequesterIsRecordedAsClaimedNotAsAUserTest {

    private static MigrationRequest by(String requestedBy) {
        return MigrationRequest.newBuilder().setRequestId("r-1").setVmId("SERVER2").setDestinationHost("hv-02")
                .setRequestedBy(requestedBy).build();
    }

    @Test
    void a_topic_record_naming_an_operator_is_recorded_behind_the_kafka_prefix() {
        // given a topic record that claims to come from the REST operator "ops"
        // when its actor is worked out
        // then the audit trail names it kafka:ops, which no REST user can be (their names hold no ':')
        assertThat(SubmissionService.actor(by("ops"), Channel.TOPIC)).isEqualTo("kafka:ops");
        assertThat(SubmissionService.actor(by(null), Channel.TOPIC)).isEqualTo("kafka:anonymous");
    }

    @Test
    void rest_and_cli_requests_name_the_logged_in_user() {
        assertThat(SubmissionService.actor(by("ops"), Channel.REST)).isEqualTo("ops");
        assertThat(SubmissionService.actor(by("ops"), Channel.CLI)).isEqualTo("ops");
    }
}
