package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.cli.testing.Run;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ADemoWithABadOptionSaysSoInOneLineBeforeStartingAnythingTest {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "demo | --workload   | hotset   | --workload: guest workload 'hotset' is not valid: it takes 1 to 3 parameters",
            "demo | --workload   | bursty:5 | 'bursty' is not a workload",
            "demo | --workload   | hotset:x | --workload: guest workload 'hotset:x'",
            "demo | --memory     | 0        | --memory: must be between 1 and 65536 MB, got 0",
            "demo | --driver     | xen      | --driver: must be simulated or qemu, got 'xen'",
            "demo | --max-rounds | 0        | --max-rounds: must be between 1 and 1000, got 0",
            "demo | --bandwidth  | -1       | --bandwidth: must be 0 (uncapped) or more Mbps, got -1",
            "demo | --warm-up    | 21       | --warm-up: must be between 0 and 20 round trips, got 21",
            "up   | --workload   | hotset   | --workload: guest workload 'hotset' is not valid"})
    void the_option_and_its_accepted_forms_are_named_and_it_exits_2(String command, String option, String value,
            String message) {
        // when the demo (or up) is started with an option that cannot work
        Run run = Run.ferry(command, option, value);

        // then one line names the option (and, for a workload, the accepted forms), nothing started, exit 2
        assertThat(run.err().lines()).hasSize(1);
        assertThat(run.err()).startsWith("ferry " + command + ": ").contains(message);
        if (option.equals("--workload")) {
            assertThat(run.err()).contains("accepted forms: idle, uniform:N, hotset:N[:FRACTION[:SHARE]]");
        }
        assertThat(run.out()).doesNotContain("starting");
        assertThat(run.exitCode()).isEqualTo(2);
    }
}
