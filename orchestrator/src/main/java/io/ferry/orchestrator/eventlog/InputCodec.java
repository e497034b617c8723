package io.ferry.orchestrator.eventlog;

import io.ferry.orchestrator.core.AgentReport;
import io.ferry.orchestrator.core.MigrationCommand;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The inputs of {@code decide} as JSON, kept beside the events they produced so the replay debugger can run
 * today's {@code decide} on exactly what the orchestrator saw. The records map by their component names; a
 * {@code type} field names the sealed subtype.
 */
public final class InputCodec {
    private static final Map<String, Class<?>> COMMANDS = bySimpleName(MigrationCommand.class.getPermittedSubclasses());
    private static final Map<String, Class<?>> REPORTS = bySimpleName(AgentReport.class.getPermittedSubclasses());
    private final JsonMapper json = JsonMapper.builder().build();

    private static Map<String, Class<?>> bySimpleName(Class<?>[] types) {
        return Arrays.stream(types).collect(Collectors.toMap(Class::getSimpleName, Function.identity()));
    }

    public static String type(MigrationCommand command) {
        return command.getClass().getSimpleName();
    }

    public JsonNode toJson(MigrationCommand command) {
        ObjectNode node = json.valueToTree(command);
        node.put("type", type(command));
        if (command instanceof MigrationCommand.Report report) {
            ((ObjectNode) node.get("report")).put("type", report.report().getClass().getSimpleName());
        }
        return node;
    }

    public MigrationCommand fromJson(JsonNode node) {
        String type = node.path("type").asString("");
        Class<?> commandType = COMMANDS.get(type);
        if (commandType == null) {
            throw new IllegalArgumentException("unknown input type '" + type + "'; known: " + COMMANDS.keySet());
        }
        ObjectNode fields = (ObjectNode) node.deepCopy();
        fields.remove("type");
        if (commandType == MigrationCommand.Report.class) {
            ObjectNode report = (ObjectNode) fields.get("report");
            String kind = report.path("type").asString("");
            Class<?> reportType = REPORTS.get(kind);
            if (reportType == null) {
                throw new IllegalArgumentException("unknown agent report type '" + kind + "'; known: " + REPORTS.keySet());
            }
            report.remove("type");
            return new MigrationCommand.Report((AgentReport) json.treeToValue(report, reportType),
                    json.treeToValue(fields.get("at"), java.time.Instant.class));
        }
        return (MigrationCommand) json.treeToValue(fields, commandType);
    }
}
