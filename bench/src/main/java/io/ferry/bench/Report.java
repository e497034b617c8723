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
