package io.ferry.bench;

import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The results table for stdout and the JSON document for bench/target/bench-results.json. */
final class Report {
    private static final double MIB = 1 << 20;
    private static final String ROW = "%-17s %-13s %-9s %-10s %8s %9s %6s %8s %10s %8s %8s %7s %7s%n";

    private Report() {
    }

    static String table(List<Run> runs, double loopbackBytesPerSec, int repeat) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, ROW, "scenario", "workload", "link", "state", "total ms", "downtime", "rounds",
                "sent/mem", "total/wire", "stream", "stream/", "src RSS", "dst RSS"));
        out.append(String.format(Locale.ROOT, ROW, "", "", "", "", "", "ms", "", "", "", "MiB/s", "loopback", "/mem", "/mem"));
        for (Run r : runs) {
            String name = r.scenario().name() + (repeat > 1 ? " #" + r.attempt() : "");
            String link = r.scenario().capped() ? r.scenario().bandwidthMbps() + " Mbps" : "uncapped";
            if (r.demo() == null) {
                out.append(String.format(Locale.ROOT, "%-17s %-13s %-9s %-10s (see error below)%n", name,
                        r.scenario().workloadSpec(), link, r.state()));
                continue;
            }
            out.append(String.format(Locale.ROOT, ROW, name, r.scenario().workloadSpec(), link, r.state(), r.totalMs(),
                    r.downtimeMs(), r.rounds(), fmt("%.2f", r.sentPerMemory()), fmt("%.2f", r.totalPerWireBound()),
                    fmt("%.0f", r.streamingBytesPerSec() / MIB) + (r.streamingFromRound1() ? "" : "*"),
                    fmt("%.0f%%", r.streamingPerLoopback(loopbackBytesPerSec) * 100),
                    fmt("%.2f", r.sourceRssPerMemory()), fmt("%.2f", r.destinationRssPerMemory())));
        }
        if (runs.stream().anyMatch(r -> r.demo() != null && !r.streamingFromRound1())) {
            out.append("* lower bound: bytesSent / totalMs (the demo JSON has no precopyRound1Bytes/precopyRound1Ms)\n");
        }
        out.append(Double.isNaN(loopbackBytesPerSec) ? "raw loopback TCP: not measured (no uncapped scenario)\n"
                : String.format(Locale.ROOT, "raw loopback TCP: %.0f MiB/s (%.1f Gbit/s)%n", loopbackBytesPerSec / MIB,
                        loopbackBytesPerSec * 8 / 1e9));
        return out.toString();
    }

    static String targets(List<Targets.Verdict> verdicts) {
        StringBuilder out = new StringBuilder("targets\n");
        for (Targets.Verdict v : verdicts) {
            out.append(String.format(Locale.ROOT, "  %-4s %-31s %-17s %s%s%n", v.pass() ? "PASS" : "MISS", v.target(),
                    v.scenario(), v.shown(), v.note().isEmpty() ? "" : "  (" + v.note() + ")"));
        }
        return out.toString();
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

    static ObjectNode json(JsonMapper mapper, JsonNode machine, int memoryMb, Loopback.Result loopback, List<Run> runs,
                           List<Targets.Verdict> verdicts) {
        ObjectNode root = mapper.createObjectNode();
        root.set("machine", machine);
        root.put("memoryMb", memoryMb);
        ObjectNode lo = root.putObject("loopback");
        putNumber(lo, "bytesPerSec", loopback.bytesPerSec());
        lo.put("bytesPerTry", loopback.bytesPerTry());
        lo.put("tries", loopback.tries());
        ArrayNode scenarios = root.putArray("scenarios");
        for (Scenario s : runs.stream().map(Run::scenario).distinct().toList()) {
            ObjectNode sn = scenarios.addObject();
            sn.put("name", s.name());
            sn.put("workload", s.workloadSpec());
            sn.put("bandwidthMbps", s.bandwidthMbps());
            ArrayNode list = sn.putArray("runs");
            runs.stream().filter(r -> r.scenario().equals(s)).forEach(r -> runJson(list.addObject(), r, loopback));
        }
        ArrayNode targets = root.putArray("targets");
        for (Targets.Verdict v : verdicts) {
            ObjectNode t = targets.addObject();
            t.put("target", v.target());
            t.put("scenario", v.scenario());
            putNumber(t, "value", v.value());
            t.put("result", v.pass() ? "PASS" : "MISS");
            if (!v.note().isEmpty()) {
                t.put("note", v.note());
            }
        }
        return root;
    }

    private static ObjectNode runJson(ObjectNode n, Run r, Loopback.Result loopback) {
        n.put("attempt", r.attempt());
        n.put("state", r.state());
        if (r.error() != null) {
            n.put("error", r.error());
            return n;
        }
        putNumber(n, "wireBoundMs", r.wireBoundMs());
        putNumber(n, "totalPerWireBound", r.totalPerWireBound());
        putNumber(n, "sentPerMemory", r.sentPerMemory());
        putNumber(n, "streamingBytesPerSec", r.streamingBytesPerSec());
        n.put("streamingFrom", r.streamingFromRound1() ? "precopyRound1" : "bytesSent/totalMs (lower bound)");
        putNumber(n, "streamingPerLoopback", r.streamingPerLoopback(loopback.bytesPerSec()));
        putNumber(n, "sourceRssPerMemory", r.sourceRssPerMemory());
        putNumber(n, "destinationRssPerMemory", r.destinationRssPerMemory());
        n.set("demo", r.demo());
        return n;
    }

    private static void putNumber(ObjectNode n, String field, double value) {
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
