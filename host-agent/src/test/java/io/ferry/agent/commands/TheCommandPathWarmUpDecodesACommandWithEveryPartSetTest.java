package io.ferry.agent.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.schema.AvroCodec;
import io.ferry.schema.agent.StageCommand;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/**
 * The start-up warm-up only helps the first real command if it walks every branch a real command can take: a field
 * added to StageCommand and left unset in the sample would leave its decoding cold.
 */
class TheCommandPathWarmUpDecodesACommandWithEveryPartSetTest {

    @Test
    void the_sample_sets_every_field_and_the_listener_decodes_it_unchanged() {
        // given the warm-up's sample command
        StageCommand sample = CommandPathWarmUp.sample("hv-01");

        // when the listener's own decoder reads it as it would read one from the broker
        StageCommand decoded = new CommandListener(null).warmUp(AvroCodec.of(StageCommand.class).encode(sample));

        // then nothing was lost and no optional part was left out
        assertThat(decoded).isEqualTo(sample);
        for (Schema.Field field : StageCommand.getClassSchema().getFields()) {
            assertThat(decoded.get(field.pos())).as(field.name()).isNotNull();
        }
    }
}
