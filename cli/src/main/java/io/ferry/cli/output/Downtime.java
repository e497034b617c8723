package io.ferry.cli.output;

import java.util.Locale;
import tools.jackson.databind.JsonNode;

/**
 * A downtime breakdown (the API's microseconds per phase) as one line, the phases adding up to the total:
 * {@code 74 ms = last page 52 + device state – + digest 3.1 + storage 4.0 + resume 9.2 + other 6}. Milliseconds,
 * with a decimal below 10 ms; "–" for a phase the driver does not time on its own.
 */
public final class Downtime {
    private static final String NOT_TIMED = "–";

    private Downtime() {}

    /**
     * @param breakdown the breakdown as the migration's JSON gives it, or as an event's Avro JSON (unions wrapped)
     * @return null when there is none (migrations whose agents did not measure it)
     */
    public static String line(JsonNode breakdown) {
        JsonNode b = Json.unwrapUnion(breakdown);
        if (b == null || !b.isObject()) {
            return null;
        }
        String line = ms(b, "totalUs") + " ms = last page " + ms(b, "lastPageUs") + " + device state "
                + ms(b, "deviceStateUs") + " + digest " + ms(b, "digestCheckUs") + " + storage "
                + ms(b, "storageHandoffUs") + " + resume " + ms(b, "resumeUs") + " + other " + ms(b, "otherUs");
        Long waited = micros(b, "authorisationWaitUs");
        return waited == null || waited <= 0 ? line : line + ", paused " + ms(waited) + " ms early awaiting authorisation";
    }

    private static String ms(JsonNode b, String field) {
        Long us = micros(b, field);
        return us == null ? NOT_TIMED : ms(us);
    }

    private static Long micros(JsonNode b, String field) {
        JsonNode value = Json.unwrapUnion(b.get(field));
        return value == null || !value.isNumber() ? null : value.asLong();
    }

    /** Whole milliseconds, or tenths below 10 ms where a rounding would hide most of the figure. */
    static String ms(long us) {
        return Math.abs(us) < 10_000 ? String.format(Locale.ROOT, "%.1f", us / 1000.0)
                : Long.toString(Math.round(us / 1000.0));
    }
}
