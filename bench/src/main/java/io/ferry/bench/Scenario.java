package io.ferry.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** One benchmark case: a guest workload (as {@code ferry demo --workload} takes it) over a capped or uncapped link. */
record Scenario(String name, String workloadName, String workloadSpec, int bandwidthMbps, List<String> policy) {
    static final int GBIT = 1000;

    /** idle, uniform, hot-set and write-heavy guests, each at 1 Gbit/s and uncapped: 8 scenarios. */
    static List<Scenario> all() {
        List<Scenario> all = new ArrayList<>();
        // The hot-set case asks for the 50 ms it is judged by; a write-heavy guest outruns any link and can only
        // converge when it may be throttled (without that it fails NOT_CONVERGING, which is the right answer).
        String[][] workloads = {{"idle", "idle", ""}, {"uniform", "uniform:5000", ""},
            {"hotset", "hotset:5000", "--max-downtime 50"}, {"heavy", "heavy", "--auto-converge"}};
        for (String[] w : workloads) {
            List<String> policy = w[2].isEmpty() ? List.of() : List.of(w[2].split(" "));
            all.add(new Scenario(w[0] + "-1g", w[0], w[1], GBIT, policy));
            all.add(new Scenario(w[0] + "-uncapped", w[0], w[1], 0, policy));
        }
        return all;
    }

    boolean capped() {
        return bandwidthMbps > 0;
    }

    String bandwidthLabel() {
        return capped() ? bandwidthMbps % 1000 == 0 ? bandwidthMbps / 1000 + "g" : bandwidthMbps + "m" : "uncapped";
    }

    /** {@code --only} matches the full name (idle-1g), the workload (idle) or the link (1g, uncapped). */
    boolean matches(String filter) {
        return Set.of(name, workloadName, bandwidthLabel()).contains(filter);
    }
}
