package io.ferry.orchestrator.support;

import java.util.OptionalInt;

/**
 * Strings that came from outside (request fields, record keys, parser messages that quote them): what may be logged
 * or stored of them. A raw newline in a log argument would forge a whole log line, an ESC would drive the operator's
 * terminal, and PostgreSQL's text type cannot hold NUL at all.
 */
public final class Untrusted {
    /** Most characters of one untrusted value a log line shows; the rest is counted, not printed. */
    public static final int LOG_LIMIT = 256;

    private Untrusted() {}

    /**
     * The value for a log line: control and line-breaking characters as {@code \}{@code uXXXX}, at most
     * {@value #LOG_LIMIT} characters of it followed by how many more there were.
     */
    public static String forLog(Object value) {
        if (value == null) {
            return "null";
        }
        String text = value.toString();
        int shown = Math.min(text.length(), LOG_LIMIT);
        StringBuilder out = new StringBuilder(shown + 16);
        for (int i = 0; i < shown; i++) {
            char c = text.charAt(i);
            if (unsafe(text, i)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (text.length() > shown) {
            out.append("...(+").append(text.length() - shown).append(" chars)");
        }
        return out.toString();
    }

    /** The value for a PostgreSQL text column: NUL, which text cannot hold, written as {@code \}{@code u0000}. */
    public static String forText(String value) {
        return value == null || value.indexOf('\0') < 0 ? value : value.replace("\0", "\\u0000");
    }

    /**
     * Where the value holds a character no id or name may hold: a C0 or C1 control (NUL, newline, ESC, DEL ...), a
     * line or paragraph separator, or half of a surrogate pair (not encodable as UTF-8).
     */
    public static OptionalInt firstUnsafe(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (unsafe(value, i)) {
                return OptionalInt.of(i);
            }
        }
        return OptionalInt.empty();
    }

    /** The character as people write it, for example {@code U+0000}. */
    public static String codePoint(char c) {
        return String.format("U+%04X", (int) c);
    }

    private static boolean unsafe(String text, int i) {
        char c = text.charAt(i);
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> true;
            case Character.SURROGATE -> Character.isHighSurrogate(c)
                    ? i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))
                    : i == 0 || !Character.isHighSurrogate(text.charAt(i - 1));
            default -> false;
        };
    }
}
