package io.ferry.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** The performance targets, judged on the median over a scenario's completed runs. */
final class Targets {
    record Verdict(String target, String scenario, double value, String shown, boolean pass, String note) {
    }

    private Targets() {
    }

    static List<Verdict> judge(List<Run> runs, double loopbackBytesPerSec) {
        Map<Scenario, List<Run>> byScenario = new LinkedHashMap<>();
        for (Run r : runs) {
            byScenario.computeIfAbsent(r.scenario(), k -> new ArrayList<>()).add(r);
        }
        List<Verdict> verdicts = new ArrayList<>();
        byScenario.forEach((s, list) -> {
            if (s.name().equals("idle-1g")) {
                verdicts.add(atMost("total <= 1.10 x wire bound", s, list, Run::totalPerWireBound, 1.10, "%.2fx", ""));
            }
            if (s.name().equals("hotset-1g")) {
                verdicts.add(atMost("downtime <= 50 ms", s, list, r -> r.downtimeMs(), 50, "%.0f ms", ""));
            }
            if (!s.capped()) {
                boolean lowerBound = list.stream().filter(Run::completed).anyMatch(r -> !r.streamingFromRound1());
                Verdict v = judge("streaming >= 70% of loopback", s, list, r -> r.streamingPerLoopback(loopbackBytesPerSec),
                        x -> x >= 0.70, "%.0f%%", 100, lowerBound ? "lower bound: bytesSent / totalMs" : "");
                verdicts.add(v);
            }
            verdicts.add(atMost("agent peak RSS <= 1.3 x memory", s, list, Run::maxRssPerMemory, 1.3, "%.2fx", ""));
        });
        return verdicts;
    }

    private static Verdict atMost(String target, Scenario s, List<Run> runs, ToDoubleFunction<Run> metric, double limit,
                                  String format, String note) {
        return judge(target, s, runs, metric, x -> x <= limit, format, 1, note);
    }

    private static Verdict judge(String target, Scenario s, List<Run> runs, ToDoubleFunction<Run> metric,
                                 java.util.function.DoublePredicate ok, String format, double scale, String note) {
        double[] values = runs.stream().filter(Run::completed).mapToDouble(metric).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (values.length == 0) {
            return new Verdict(target, s.name(), Double.NaN, "no completed run", false, note);
        }
        double median = values.length % 2 == 1 ? values[values.length / 2]
                : (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
        String shown = String.format(format, median * scale) + (values.length > 1 ? " (median of " + values.length + ")" : "");
        return new Verdict(target, s.name(), median, shown, ok.test(median), note);
    }
}
