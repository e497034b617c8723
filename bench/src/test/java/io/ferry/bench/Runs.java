package io.ferry.bench;

import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/** Runs made from summary JSON, for the target and report tests. */
final class Runs {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final List<Scenario> ALL = Scenario.all(1024, 256, 64);

    private Runs() {
    }

    static Scenario scenario(String name) {
        return ALL.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    /** A run of the named scenario whose summary is {@code fields} (JSON members without braces) and state COMPLETED. */
    static Run completed(String scenario, int attempt, String fields) {
        return new Run(scenario(scenario), attempt, JSON.readTree("{\"state\":\"COMPLETED\"," + fields + "}"), null);
    }

    static Run ended(String scenario, int attempt, String state, String fields) {
        return new Run(scenario(scenario), attempt, JSON.readTree("{\"state\":\"" + state + "\"," + fields + "}"), null);
    }

    static Targets.Target target(List<Targets.Target> targets, int point, String name, String scenario) {
        return targets.stream().filter(t -> t.point() == point && t.name().equals(name) && t.scenario().equals(scenario))
                .findFirst().orElseThrow(() -> new AssertionError("no target " + point + " " + name + " for " + scenario
                        + " in " + targets));
    }
}
