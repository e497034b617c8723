package io.ferry.orchestrator.submit;

import io.ferry.orchestrator.submit.RejectedRequestException.Reason;
import io.ferry.orchestrator.support.Untrusted;
import io.ferry.schema.AvroCodec;
import io.ferry.schema.SchemaMismatchException;
import io.ferry.schema.request.MigrationRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads a record of ferry.migration-requests: Avro single-object encoding by default, or plain JSON with the
 * schema's field names when the record carries {@code content-type: application/json} (so kcat and other outside
 * clients can submit). REST's body goes through the same JSON reader, so both channels refuse the same input.
 * Every problem becomes a MALFORMED rejection that names the field and what was wrong.
 */
public final class RequestDecoder {
    static final String CONTENT_TYPE = "content-type";
    private static final Schema SCHEMA = MigrationRequest.getClassSchema();
    private final AvroCodec<MigrationRequest> avro = AvroCodec.of(MigrationRequest.class);
    private final JsonMapper json = JsonMapper.builder().build();

    /**
     * A REST body: the topic's JSON contract, except that requestId may be left out (a new one is made) and
     * requestedBy is the authenticated user, never the body's.
     */
    public MigrationRequest decodeRest(byte[] body, String user) {
        JsonNode root = parse(body);
        if (root.has("requestedBy")) {
            throw new RejectedRequestException(Reason.MALFORMED, "requestedBy", "field 'requestedBy' is not accepted on "
                    + "REST: the requester is the user you log in as; remove it");
        }
        ObjectNode fields = (ObjectNode) root;
        if (!fields.has("requestId") || fields.get("requestId").isNull()) {
            fields.put("requestId", UUID.randomUUID().toString());
        }
        fields.put("requestedBy", user);
        return fromJson(fields);
    }

    MigrationRequest decode(byte[] value, Headers headers) {
        if (value == null || value.length == 0) {
            throw new RejectedRequestException(Reason.MALFORMED, "the record has no value; send a MigrationRequest");
        }
        return isJson(headers) ? fromJson(value) : fromAvro(value);
    }

    private static boolean isJson(Headers headers) {
        Header header = headers.lastHeader(CONTENT_TYPE);
        return header != null && new String(header.value(), StandardCharsets.UTF_8).trim().toLowerCase()
                .startsWith("application/json");
    }

    private MigrationRequest fromAvro(byte[] value) {
        try {
            return avro.decode(value);
        } catch (SchemaMismatchException e) {
            throw new RejectedRequestException(Reason.MALFORMED, Untrusted.forLog(e.getMessage()) + " (send Avro "
                    + "single-object encoding of MigrationRequest, or JSON with the header content-type: application/json)");
        } catch (RuntimeException e) {
            throw new RejectedRequestException(Reason.MALFORMED, "the value is not a readable Avro MigrationRequest: "
                    + Untrusted.forLog(e));
        }
    }

    private JsonNode parse(byte[] value) {
        if (value == null || value.length == 0) {
            throw new RejectedRequestException(Reason.MALFORMED, "the body is empty; send a JSON object with the fields of "
                    + "MigrationRequest " + fieldNames());
        }
        JsonNode root;
        try {
            root = json.readTree(value);
        } catch (JacksonException e) {
            var at = e.getLocation();
            throw new RejectedRequestException(Reason.MALFORMED, "the value is not valid JSON: "
                    + Untrusted.forLog(e.getOriginalMessage()) + (at == null ? "" : " (at line " + at.getLineNr()
                    + ", column " + at.getColumnNr() + ")"));
        }
        if (root == null || !root.isObject()) {
            throw new RejectedRequestException(Reason.MALFORMED, "the JSON value must be an object with the fields of "
                    + "MigrationRequest " + fieldNames());
        }
        return root;
    }

    private MigrationRequest fromJson(byte[] value) {
        return fromJson(parse(value));
    }

    private MigrationRequest fromJson(JsonNode root) {
        Set<String> known = new HashSet<>(fieldNames());
        List<String> unknown = new ArrayList<>();
        root.propertyNames().forEach(name -> {
            if (!known.contains(name)) {
                unknown.add(name);
            }
        });
        if (!unknown.isEmpty()) {
            throw new RejectedRequestException(Reason.MALFORMED, unknown.getFirst(), "unknown field(s) "
                    + Untrusted.forLog(unknown) + "; MigrationRequest has " + fieldNames());
        }
        MigrationRequest request = new MigrationRequest();
        for (Schema.Field field : SCHEMA.getFields()) {
            JsonNode node = root.get(field.name());
            request.put(field.pos(), node == null || node.isNull() ? absent(field) : convert(field, field.schema(), node));
        }
        return request;
    }

    private static Object absent(Schema.Field field) {
        if (field.schema().isNullable()) {
            return null;
        }
        throw new RejectedRequestException(Reason.MALFORMED, field.name(), "field '" + field.name() + "' is required");
    }

    private static Object convert(Schema.Field field, Schema schema, JsonNode node) {
        return switch (schema.getType()) {
            case UNION -> convert(field, schema.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).findFirst()
                    .orElseThrow(), node);
            case STRING -> node.isString() ? node.asString() : wrong(field, "a string", node);
            case INT -> node.isIntegralNumber() && node.canConvertToInt() ? node.asInt() : wrong(field, "an integer", node);
            case LONG -> node.isIntegralNumber() && node.canConvertToLong() ? node.asLong() : wrong(field, "an integer", node);
            case BOOLEAN -> node.isBoolean() ? node.asBoolean() : wrong(field, "true or false", node);
            case ENUM -> {
                String symbol = node.isString() ? node.asString().toUpperCase() : null;
                if (symbol == null || !schema.getEnumSymbols().contains(symbol)) {
                    yield wrong(field, "one of " + schema.getEnumSymbols(), node);
                }
                yield org.apache.avro.specific.SpecificData.get().createEnum(symbol, schema);
            }
            default -> throw new IllegalStateException("MigrationRequest field '" + field.name() + "' has type "
                    + schema.getType() + ", which the JSON reader does not map");
        };
    }

    private static Object wrong(Schema.Field field, String expected, JsonNode node) {
        throw new RejectedRequestException(Reason.MALFORMED, field.name(), "field '" + field.name() + "' must be "
                + expected + ", got " + Untrusted.forLog(node));
    }

    private static List<String> fieldNames() {
        return SCHEMA.getFields().stream().map(Schema.Field::name).toList();
    }
}
