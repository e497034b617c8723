package io.ferry.bench;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The results table for stdout and the JSON document for bench/target/bench-results.json. */
final class Report {
    private static final double MIB = 1 << 20;
    private static final String ROW = "%-17s %5s %-12s %-9s %-10s %8s %9s %6s %8s %10s %8s %8s %7s %7s%n";

    private Report() {
    }

    /** The runs, scenario by scenario in the order they first ran, attempts in order. */
    static List<Run> byScenario(List<Run> runs) {
        List<String> order = runs.stream().map(r -> r.scenario().name()).distinct().toList();
        return runs.stream().sorted(Comparator.comparingInt((Run r) -> order.indexOf(r.scenario().name()))
                .thenComparingInt(Run::attempt)).toList();
    }

    static String table(List<Run> runs, double loopbackBytesPerSec, int repeat) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, ROW, "scenario", "MB", "workload", "link", "state", "total ms", "downtime",
                "rounds", "sent/mem", "total/wire", "stream", "stream/", "src RSS", "dst RSS"));
        out.append(String.format(Locale.ROOT, ROW, "", "", "", "", "", "", "ms", "", "", "", "MiB/s", "loopback", "/mem",
                "/mem"));
        for (Run r : byScenario(runs)) {
            String name = r.scenario().name() + (repeat > 1 ? " #" + r.attempt() : "");
            String link = r.scenario().capped() ? r.scenario().bandwidthMbps() + " Mbps" : "uncapped";
            if (r.demo() == null) {
                out.append(String.format(Locale.ROOT, "%-17s %5d %-12s %-9s %-10s (see error below)%n", name,
                        r.scenario().memoryMb(), r.scenario().workloadSpec(), link, r.state()));
                continue;
            }
            out.append(String.format(Locale.ROOT, ROW, name, r.scenario().memoryMb(), r.scenario().workloadSpec(), link,
                    r.state(), r.totalMs(), r.downtimeMs(), r.rounds(), fmt("%.2f", r.sentPerMemory()),
                    fmt("%.2f", r.totalPerWire()),
                    fmt("%.0f", r.streamingBytesPerSec() / MIB) + (r.streamingFromRound1() ? "" : "*"),
                    fmt("%.0f%%", r.streamingPerLoopback(loopbackBytesPerSec) * 100),
                    fmt("%.2f", r.sourceRssPerMemory()), fmt("%.2f", r.destinationRssPerMemory())));
        }
        if (runs.stream().anyMatch(r -> r.demo() != null && !r.streamingFromRound1())) {
            out.append("* lower bound: bytesSent / totalMs (no round-1 figures: precopyRound1Bytes/precopyRound1Ms)\n");
        }
        out.append("total/wire: total time over bytes sent x 8 / bandwidth. stream: pre-copy round 1's bytes / its time.\n");
        if (runs.stream().anyMatch(r -> r.scenario().driver() == Scenario.Driver.QEMU_ALONE)) {
            out.append("qemu-alone: total = migrate issued -> destination RESUME, downtime = source STOP -> destination RESUME "
                    + "(QEMU's own figures below)\n");
        }
        out.append(Double.isNaN(loopbackBytesPerSec) ? "raw loopback TCP: not measured (no uncapped simulated scenario)\n"
                : String.format(Locale.ROOT, "raw loopback TCP: %.0f MiB/s (%.1f Gbit/s)%n", loopbackBytesPerSec / MIB,
                        loopbackBytesPerSec * 8 / 1e9));
        return out.toString();
    }

    private static final String ALONE_ROW = "%-22s %10s %10s %10s %10s %8s %9s %9s %10s %11s%n";

    /** QEMU alone's runs with QEMU's own query-migrate figures beside the guest-visible ones; empty without such runs. */
    static String qemuAlone(List<Run> runs) {
        List<Run> alone = byScenario(runs).stream()
                .filter(r -> r.scenario().driver() == Scenario.Driver.QEMU_ALONE && r.demo() != null).toList();
        if (alone.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "QEMU alone: two QEMUs on this host over QMP, "
                + "downtime-limit %d ms, max-bandwidth %d B/s (as ferry's QEMU driver uncapped)%n",
                QemuAlone.DOWNTIME_LIMIT_MS, QemuAlone.UNCAPPED_BYTES_PER_SECOND));
        out.append(String.format(Locale.ROOT, ALONE_ROW, "run", "STOP->", "QEMU's", "migrate->", "QEMU's", "setup",
                "round 1", "whole", "guest", "dest. start"));
        out.append(String.format(Locale.ROOT, ALONE_ROW, "", "RESUME ms", "downtime", "running ms", "total-time", "ms",
                "MiB/s", "MiB/s", "pages/s", "ms"));
        for (Run r : alone) {
            out.append(String.format(Locale.ROOT, ALONE_ROW, r.scenario().name() + " #" + r.attempt(), r.downtimeMs(),
                    r.number("qemuDowntimeMs"), r.totalMs(), r.number("qemuTotalTimeMs"), r.number("qemuSetupTimeMs"),
                    r.streamingFromRound1() ? fmt("%.0f", r.streamingBytesPerSec() / MIB) : "-",
                    fmt("%.0f", r.number("qemuBytesPerSec") / MIB), r.number("pageWritesPerSec"),
                    r.destinationStartMs() >= 0 ? Long.toString(r.destinationStartMs()) : "-"));
        }
        return out.toString();
    }

    /** Each target as a ratio with its verdict; the notes below say what was not judged and why. */
    static String targets(List<Targets.Target> targets) {
        if (targets.isEmpty()) {
            return "targets (issue 11): none in what this run selected (bench/run --only issue11 runs them all)\n";
        }
        StringBuilder out = new StringBuilder("targets (issue 11), ratio = measured / baseline\n");
        String row = "  %-2s %-10s %-38s %-14s %12s %12s %6s %7s  %s%n";
        out.append(String.format(Locale.ROOT, row, "pt", "verdict", "target", "scenario", "measured", "baseline", "ratio",
                "limit", "aggregate"));
        StringBuilder notes = new StringBuilder();
        for (Targets.Target t : targets) {
            out.append(String.format(Locale.ROOT, row, t.point(), t.verdict().name().replace('_', ' '), t.name(), t.scenario(),
                    figure(t.measured(), t.unit()), figure(t.baseline(), t.unit()), fmt("%.2f", t.ratio()),
                    t.bound().symbol + fmt("%.2f", t.limit()), t.aggregate()));
            if (!t.note().isEmpty()) {
                notes.append("    ").append(t.name()).append(" (").append(t.scenario()).append("): ").append(t.note())
                        .append('\n');
            }
        }
        out.append("  baselines\n");
        targets.stream().map(t -> "    " + t.name() + ": " + t.baselineName() + "\n").distinct().forEach(out::append);
        return notes.isEmpty() ? out.toString() : out.append("  notes\n").append(notes).toString();
    }

    private static String figure(double value, String unit) {
        return switch (unit) {
            case "B/s" -> fmt("%.0f MiB/s", value / MIB);
            case "bytes" -> fmt("%.0f MiB", value / MIB);
            default -> fmt("%.0f " + unit, value);
        };
    }

    static String errors(List<Run> runs) {
        StringBuilder out = new StringBuilder();
        for (Run r : runs) {
            if (r.error() != null) {
                out.append("error in ").append(r.scenario().name()).append(" #").append(r.attempt()).append(": ")
                        .append(r.error()).append('\n');
            }
        }
        return out.toString();
    }

    private static final String DRIVER_ROW = "%-10s %9s %12s %17s %12s %9s %7s%n";

    /** QEMU's own figures beside the simulated driver's, for the same guest memory and dirty rate. */
    static String drivers(DriverPair.Result pair) {
        StringBuilder out = new StringBuilder();
        if (pair.skipped() != null) {
            return out.append("driver pair: skipped: ").append(pair.skipped()).append('\n').toString();
        }
        out.append(String.format(Locale.ROOT, "driver pair: %d MB guest, %d MiB rewritten in a loop (%.0f page writes/s, "
                + "%.0f %% of memory used), uncapped loopback, downtime limit 300 ms, through the Hypervisor seam in one JVM%n",
                pair.memoryMb(), pair.dirtyMb(), pair.pageWritesPerSec(), pair.utilisation() * 100));
        out.append(String.format(Locale.ROOT, DRIVER_ROW, "driver", "total ms", "downtime ms", "pause->resume ms",
                "bytes sent", "sent/mem", "rounds"));
        for (DriverPair.Figures f : List.of(pair.qemu(), pair.simulated())) {
            out.append(String.format(Locale.ROOT, DRIVER_ROW, f.driver(), f.totalMs(), f.downtimeMs(), f.pauseToResumeMs(),
                    f.bytesSent(), fmt("%.2f", f.sentPerMemory()), f.rounds()));
        }
        out.append("qemu: total-time, downtime and ram.transferred from query-migrate at completion; simulated: pre-copy start to\n"
                + "final copy done, pause to resume, bytes of every round and the final copy. pause->resume: the guest's pause to\n"
                + "the destination's resume, for both.\n");
        return out.toString();
    }

    static ObjectNode driversJson(JsonMapper mapper, DriverPair.Result pair) {
        ObjectNode n = mapper.createObjectNode();
        n.put("memoryMb", pair.memoryMb());
        n.put("dirtyMb", pair.dirtyMb());
        if (pair.skipped() != null) {
            n.put("skipped", pair.skipped());
            return n;
        }
        putNumber(n, "pageWritesPerSec", pair.pageWritesPerSec());
        putNumber(n, "utilisation", pair.utilisation());
        for (DriverPair.Figures f : List.of(pair.qemu(), pair.simulated())) {
            ObjectNode d = n.putObject(f.driver());
            d.put("totalMs", f.totalMs());
            d.put("downtimeMs", f.downtimeMs());
            d.put("pauseToResumeMs", f.pauseToResumeMs());
            d.put("bytesSent", f.bytesSent());
            d.put("rounds", f.rounds());
            d.put("memoryBytes", f.memoryBytes());
        }
        return n;
    }

    static ObjectNode json(JsonMapper mapper, JsonNode machine, int memoryMb, int repeat, Loopback.Result loopback,
                           List<Run> runs, List<Targets.Target> targets) {
        ObjectNode root = mapper.createObjectNode();
        root.set("machine", machine);
        root.put("memoryMb", memoryMb);
        root.put("repeat", repeat);
        ObjectNode lo = root.putObject("loopback");
        putNumber(lo, "bytesPerSec", loopback.bytesPerSec());
        lo.put("bytesPerTry", loopback.bytesPerTry());
        lo.put("tries", loopback.tries());
        ArrayNode scenarios = root.putArray("scenarios");
        for (Scenario s : byScenario(runs).stream().map(Run::scenario).distinct().toList()) {
            ObjectNode sn = scenarios.addObject();
            sn.put("name", s.name());
            sn.put("driver", s.driver().name().toLowerCase(Locale.ROOT));
            sn.put("memoryMb", s.memoryMb());
            sn.put("workload", s.workloadSpec());
            sn.put("bandwidthMbps", s.bandwidthMbps());
            ArrayNode list = sn.putArray("runs");
            byScenario(runs).stream().filter(r -> r.scenario().equals(s))
                    .forEach(r -> runJson(list.addObject(), r, loopback));
        }
        ArrayNode list = root.putArray("targets");
        for (Targets.Target t : targets) {
            targetJson(list.addObject(), t);
        }
        return root;
    }

    static ObjectNode targetJson(ObjectNode n, Targets.Target t) {
        n.put("name", t.name());
        n.put("point", t.point());
        n.put("scenario", t.scenario());
        putNumber(n, "measured", t.measured());
        putNumber(n, "baseline", t.baseline());
        n.put("unit", t.unit());
        n.put("baselineName", t.baselineName());
        putNumber(n, "ratio", t.ratio());
        n.put("comparison", t.bound().symbol);
        n.put("limit", t.limit());
        if (t.met() == null) {
            n.putNull("met");
        } else {
            n.put("met", t.met());
        }
        n.put("verdict", t.verdict().name());
        n.put("aggregate", t.aggregate());
        n.put("runs", t.runs());
        if (!t.note().isEmpty()) {
            n.put("note", t.note());
        }
        return n;
    }

    private static ObjectNode runJson(ObjectNode n, Run r, Loopback.Result loopback) {
        n.put("attempt", r.attempt());
        n.put("state", r.state());
        if (r.error() != null) {
            n.put("error", r.error());
            return n;
        }
        putNumber(n, "wireMs", r.wireMs());
        putNumber(n, "totalPerWire", r.totalPerWire());
        putNumber(n, "sentPerMemory", r.sentPerMemory());
        putNumber(n, "streamingBytesPerSec", r.streamingBytesPerSec());
        n.put("streamingFrom", r.streamingFromRound1() ? "precopyRound1" : "bytesSent/totalMs (lower bound)");
        putNumber(n, "streamingPerLoopback", r.streamingPerLoopback(loopback.bytesPerSec()));
        putNumber(n, "sourceRssPerMemory", r.sourceRssPerMemory());
        putNumber(n, "destinationRssPerMemory", r.destinationRssPerMemory());
        n.set(r.scenario().throughFerry() ? "demo" : "qemuAlone", r.demo()); // ferry demo --json, or QemuAlone.summary
        return n;
    }

    static void putNumber(ObjectNode n, String field, double value) {
        if (Double.isNaN(value)) {
            n.putNull(field);
        } else {
            n.put(field, value);
        }
    }

    private static String fmt(String format, double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, format, value);
    }
}
