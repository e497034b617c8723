package io.ferry.cli.connection;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** A query string of the parameters that are set, URL-encoded. */
public final class Query {
    private final StringBuilder text = new StringBuilder();

    public static Query of() {
        return new Query();
    }

    public Query add(String name, Object value) {
        if (value != null && !value.toString().isBlank()) {
            text.append(text.isEmpty() ? '?' : '&').append(name).append('=')
                    .append(URLEncoder.encode(value.toString(), StandardCharsets.UTF_8));
        }
        return this;
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
