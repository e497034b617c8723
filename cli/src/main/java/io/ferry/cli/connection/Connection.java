package io.ferry.cli.connection;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Where the CLI talks to and as whom. {@code user} and {@code password} are null when no credentials were found;
 * {@code origin} says where they came from, for messages.
 */
public record Connection(String url, String user, String password, String origin) {

    public static final String DEFAULT_URL = "http://127.0.0.1:8080";

    public Connection {
        url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    public boolean hasCredentials() {
        return user != null && password != null;
    }

    /** The HTTP Basic authorization header value, or null without credentials. */
    public String authorization() {
        return hasCredentials() ? "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8)) : null;
    }

    @Override
    public String toString() {
        return "Connection[" + url + " as " + user + " from " + origin + "]"; // never the password
    }
}
