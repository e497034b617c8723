package io.ferry.cli.output;

import java.io.PrintWriter;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The API's JSON as it came (same field names and order), for scripts; and null-safe reads of it. */
public final class Json {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    /** The branch names of Avro's JSON unions besides records' and enums' full names. */
    private static final Set<String> AVRO_TYPES = Set.of("boolean", "int", "long", "float", "double", "bytes", "string");

    private Json() {}

    public static JsonMapper mapper() {
        return MAPPER;
    }

    /** A document, indented. */
    public static void print(PrintWriter out, JsonNode node) {
        out.println(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        out.flush();
    }

    /** One document per line (a stream of them). */
    public static void printLine(PrintWriter out, JsonNode node) {
        out.println(MAPPER.writeValueAsString(node));
        out.flush();
    }

    /** The field as text, or null when it is missing or null. Arrays are joined with commas. */
    public static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        if (value.isArray()) {
            StringBuilder joined = new StringBuilder();
            for (JsonNode item : value) {
                joined.append(joined.isEmpty() ? "" : ",").append(item.asString(""));
            }
            return joined.toString();
        }
        return value.isValueNode() ? value.asString() : MAPPER.writeValueAsString(value);
    }

    /**
     * The value inside an Avro JSON union ({@code {"long": 5}}, {@code {"io.ferry.schema.common.X": {...}}}), as events'
     * payloads carry their optional fields; any other node (null included) as it is.
     */
    public static JsonNode unwrapUnion(JsonNode node) {
        if (node == null || !node.isObject() || node.size() != 1) {
            return node;
        }
        String branch = node.propertyNames().iterator().next();
        return AVRO_TYPES.contains(branch) || branch.contains(".") ? node.get(branch) : node;
    }

    public static Long number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isNumber() ? null : value.asLong();
    }

    public static Double decimal(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isNumber() ? null : value.asDouble();
    }
}
