package io.ferry.cli.commands;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A point in time given as an ISO-8601 instant, or as an age ("30m", "2h", "7d" ago). */
final class When {
    private static final Pattern AGE = Pattern.compile("(\\d+)\\s*(s|m|min|h|d)");

    private When() {}

    static String instant(String text, Clock clock) {
        if (text == null || text.isBlank()) {
            return null;
        }
        Matcher age = AGE.matcher(text.strip());
        if (age.matches()) {
            long n = Long.parseLong(age.group(1));
            Duration ago = switch (age.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m", "min" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return clock.instant().minus(ago).toString();
        }
        try {
            return Instant.parse(text.strip()).toString();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is neither an ISO-8601 instant (2025-06-01T12:00:00Z) "
                    + "nor an age such as 30m, 2h or 7d");
        }
    }
}
