package io.ferry.orchestrator.api;

import io.ferry.orchestrator.support.Untrusted;

/** The API's query filters, checked the same way wherever an endpoint takes them. */
public final class Filters {
    /** As long as the longest id a request may carry. */
    private static final int MAX_LENGTH = 128;

    private Filters() {}

    /**
     * Filters are untrusted strings too: PostgreSQL cannot even compare text with a NUL, so a control character in one
     * is a 400 naming the parameter, not a 500. Pairs of name and value; null values are not given.
     */
    public static void check(String... namesAndValues) {
        for (int i = 0; i < namesAndValues.length; i += 2) {
            String name = namesAndValues[i];
            String value = namesAndValues[i + 1];
            if (value == null) {
                continue;
            }
            if (value.length() > MAX_LENGTH) {
                throw new IllegalArgumentException(name + " is " + value.length() + " characters long; at most "
                        + MAX_LENGTH + " are accepted");
            }
            Untrusted.firstUnsafe(value).ifPresent(at -> {
                throw new IllegalArgumentException(name + " holds the control character "
                        + Untrusted.codePoint(value.charAt(at)) + " at position " + at + "; filters take printable "
                        + "characters only");
            });
        }
    }
}
