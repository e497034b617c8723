package io.ferry.cli.commands.watch;

import static io.ferry.cli.output.Json.decimal;
import static io.ferry.cli.output.Json.number;
import static io.ferry.cli.output.Json.text;

import io.ferry.cli.commands.MigrationText;
import io.ferry.cli.output.Human;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/**
 * One progress update as a line: {@code 2/6 memory pre-copy  round 3  [#######.........]  45%  812 Mbit/s  ETA 3.2 s};
 * a finished migration as {@code COMPLETED  total 3.2 s  downtime 41 ms}. Parts the update lacks are left out.
 */
public final class ProgressLine {
    static final int BAR = 16;

    private ProgressLine() {}

    public static String render(JsonNode p) {
        String state = text(p, "state");
        if (state != null && MigrationText.TERMINAL.contains(state)) {
            return finished(p, state);
        }
        StringBuilder line = new StringBuilder(text(p, "stage") != null ? text(p, "stage") : state == null ? "?" : state);
        Long round = number(p, "round");
        if (round != null && round > 0) {
            line.append("  round ").append(round);
        }
        Double percent = decimal(p, "percentCopied");
        if (percent != null) {
            double pct = Math.max(0, Math.min(100, percent));
            int filled = (int) Math.round(pct / 100 * BAR);
            line.append("  [").append("#".repeat(filled)).append(".".repeat(BAR - filled)).append("] ")
                    .append(String.format(Locale.ROOT, "%3.0f%%", Math.floor(pct)));
        }
        Double mbps = decimal(p, "throughputMbps");
        if (mbps != null && mbps > 0) {
            line.append("  ").append(Human.mbps(mbps));
        }
        Double eta = decimal(p, "etaSeconds");
        if (eta != null && eta >= 0) {
            line.append("  ETA ").append(Human.millis(Math.round(eta * 1000)));
        }
        if (percent == null && number(p, "bytesSent") != null && number(p, "bytesSent") > 0) {
            line.append("  ").append(Human.bytes(number(p, "bytesSent"))).append(" sent");
        }
        return line.toString();
    }

    private static String finished(JsonNode p, String state) {
        StringBuilder line = new StringBuilder(state);
        if (number(p, "totalMs") != null) {
            line.append("  total ").append(Human.millis(number(p, "totalMs")));
        }
        if (number(p, "downtimeMs") != null) {
            line.append("  downtime ").append(Human.millis(number(p, "downtimeMs")));
        }
        if (text(p, "failureReason") != null) {
            line.append("  ").append(text(p, "failureReason"));
        }
        return line.toString();
    }
}
