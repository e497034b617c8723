package io.ferry.cli.connection;

import java.util.Optional;

/**
 * Parses a text/event-stream line by line (WHATWG rules): {@code event:} names the event, {@code data:} lines are joined
 * with newlines, one space after the colon is dropped, lines starting with a colon are comments, and a blank line ends
 * the event (an event the stream cut off before its blank line is dropped). {@code id:} and {@code retry:} are ignored.
 */
public final class ServerSentEvents {

    public record Event(String name, String data) {}

    private String name;
    private StringBuilder data;

    /** Feeds one line (without its line break); returns the event this line completed, if any. */
    public Optional<Event> line(String line) {
        if (line.endsWith("\r")) {
            line = line.substring(0, line.length() - 1);
        }
        if (line.isEmpty()) {
            return dispatch();
        }
        if (line.startsWith(":")) {
            return Optional.empty();
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "event" -> name = value;
            case "data" -> {
                if (data == null) {
                    data = new StringBuilder(value);
                } else {
                    data.append('\n').append(value);
                }
            }
            default -> { } // id, retry and unknown fields
        }
        return Optional.empty();
    }

    private Optional<Event> dispatch() {
        Optional<Event> event = data == null ? Optional.empty()
                : Optional.of(new Event(name == null || name.isEmpty() ? "message" : name, data.toString()));
        name = null;
        data = null;
        return event;
    }
}
