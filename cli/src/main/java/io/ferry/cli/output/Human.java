package io.ferry.cli.output;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** Numbers as people read them: "41 ms", "3.2 s", "2 min 05 s", "812.4 MB", "1,024 MB", "940 Mbit/s". */
public final class Human {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIME_MS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private Human() {}

    /** A duration given in milliseconds; null stays null (a table prints "-"). */
    public static String millis(Long ms) {
        if (ms == null) {
            return null;
        }
        if (ms < 1_000) {
            return ms + " ms";
        }
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        long s = Math.round(ms / 1000.0);
        if (s < 3_600) {
            return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", s / 3_600, s % 3_600 / 60);
    }

    public static String seconds(Long s) {
        return s == null ? null : millis(s * 1000);
    }

    /** Bytes in binary units, the way memory sizes are given here (1 MB = 1024 × 1024 bytes). */
    public static String bytes(Long bytes) {
        if (bytes == null) {
            return null;
        }
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
        }
        if (bytes < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MB", bytes / 1048576.0);
        }
        return String.format(Locale.ROOT, "%.2f GB", bytes / 1073741824.0);
    }

    public static String megabytes(Long mb) {
        return mb == null ? null : count(mb) + " MB";
    }

    public static String mbps(Double mbps) {
        return mbps == null ? null : String.format(Locale.ROOT, mbps < 10 ? "%.1f Mbit/s" : "%.0f Mbit/s", mbps);
    }

    public static String count(Long n) {
        return n == null ? null : String.format(Locale.ROOT, "%,d", n);
    }

    /** An ISO-8601 instant from the API, to the second, in UTC; text that is not one is shown as it is. */
    public static String time(String iso) {
        return format(iso, TIME);
    }

    public static String timeMillis(String iso) {
        return format(iso, TIME_MS);
    }

    private static String format(String iso, DateTimeFormatter formatter) {
        if (iso == null) {
            return null;
        }
        try {
            return formatter.format(Instant.parse(iso).truncatedTo(ChronoUnit.MILLIS));
        } catch (java.time.format.DateTimeParseException e) {
            return iso;
        }
    }
}
