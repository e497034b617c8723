package io.ferry.cli.commands.replay;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code --what-if bandwidth=2000,max-downtime=500,auto-converge=true,max-rounds=20} as the what-if endpoint's body.
 * Each key is a submit option's name; one left out keeps what the migration ran with.
 */
final class WhatIfSpec {
    static final String ACCEPTED = "bandwidth=Mbps, max-downtime=ms, auto-converge=true|false, max-rounds=N";

    private WhatIfSpec() {}

    static Map<String, Object> parse(String spec) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("--what-if needs at least one of " + ACCEPTED);
        }
        for (String part : spec.split(",")) {
            String[] kv = part.split("=", 2);
            if (kv.length != 2 || kv[1].isBlank()) {
                throw new IllegalArgumentException("--what-if '" + part.strip() + "' is not KEY=VALUE; give " + ACCEPTED);
            }
            String key = kv[0].strip().toLowerCase(Locale.ROOT);
            String value = kv[1].strip();
            switch (key) {
                case "bandwidth" -> body.put("bandwidthMbps", number(key, value));
                case "max-downtime" -> body.put("maxDowntimeMs", number(key, value));
                case "max-rounds" -> body.put("maxRounds", number(key, value));
                case "auto-converge" -> body.put("autoConverge", bool(value));
                default -> throw new IllegalArgumentException("--what-if does not know '" + kv[0].strip() + "'; give "
                        + ACCEPTED);
            }
        }
        return body;
    }

    private static long number(String key, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--what-if " + key + " must be a whole number, got '" + value + "'");
        }
    }

    private static boolean bool(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new IllegalArgumentException("--what-if auto-converge must be true or false, got '" + value + "'");
        };
    }
}
