package io.ferry.cli.connection;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** An error answer of the API (RFC 9457 problem+json: title, status, detail, reason, ...), or what we make of another. */
public record Problem(int status, String title, String detail, String reason) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Reads a problem+json body; a body that is not one (a proxy's HTML, Spring's default error) still says something. */
    public static Problem parse(int status, String body) {
        JsonNode node = null;
        try {
            node = body == null || body.isBlank() ? null : JSON.readTree(body);
        } catch (JacksonException e) {
            // not JSON
        }
        if (node == null || !node.isObject()) {
            String text = body == null ? "" : body.strip();
            return new Problem(status, null, text.isEmpty() || text.length() > 200 ? null : text, null);
        }
        String detail = text(node, "detail");
        if (detail == null) {
            detail = text(node, "message"); // Spring's default error body
        }
        String title = text(node, "title");
        if (title == null) {
            title = text(node, "error");
        }
        return new Problem(status, title, detail, text(node, "reason"));
    }

    /** {@code ferry: <detail> (<reason>)}; the title or the HTTP status stand in for what is missing. */
    public String message() {
        String what = detail != null ? detail : title != null ? title : "the server answered HTTP " + status;
        String why = reason != null ? reason : "HTTP " + status;
        return "ferry: " + what + " (" + why + ")";
    }

    public boolean clientError() {
        return status >= 400 && status < 500;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.asString("").isBlank() ? null : value.asString();
    }
}
