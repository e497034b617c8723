package io.ferry.orchestrator.progress;

import io.ferry.schema.MigrationStatus;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import io.ferry.orchestrator.migrations.MigrationsReadModel;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads a migration's progress from the read model and its last pre-copy round. */
@Repository
class ProgressReader {
    private static final int PAGES_PER_MB = 256;
    private final MigrationsReadModel readModel;
    private final JsonMapper json = JsonMapper.builder().build();

    ProgressReader(MigrationsReadModel readModel) {
        this.readModel = readModel;
    }

    Optional<ProgressView> read(UUID id) {
        Optional<Map<String, Object>> found = readModel.progressRow(id);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> row = found.get();
        String state = (String) row.get("state");
        int memoryMb = row.get("memory_mb") == null ? 0 : ((Number) row.get("memory_mb")).intValue();
        long pages = row.get("pages_sent") == null ? 0 : ((Number) row.get("pages_sent")).longValue();
        JsonNode round = row.get("last_round") == null ? null : json.readTree((String) row.get("last_round")).path("progress");
        Double throughput = round == null ? null : round.path("throughputMbps").asDouble();
        Long dirty = round == null ? null : round.path("dirtyPagesRemaining").asLong();
        Double eta = throughput == null || throughput <= 0 ? null : dirty * 4096.0 * 8 / (throughput * 1_000_000);
        double percent = MigrationStatus.COMPLETED.name().equals(state) ? 100.0
                : memoryMb == 0 ? 0 : Math.min(99.0, 100.0 * pages / ((double) memoryMb * PAGES_PER_MB));
        return Optional.of(new ProgressView(id.toString(), ((Number) row.get("version")).intValue(), state,
                stageOf(state), row.get("rounds") == null ? 0 : ((Number) row.get("rounds")).intValue(), memoryMb, pages,
                row.get("bytes_sent") == null ? 0 : ((Number) row.get("bytes_sent")).longValue(),
                Math.round(percent * 10) / 10.0, throughput, dirty, eta == null ? null : Math.round(eta * 10) / 10.0,
                (Long) row.get("downtime_ms"), (Long) row.get("total_ms"), (String) row.get("failure_reason"),
                (String) row.get("failure_detail")));
    }

    /** Which of the six stages (1-6) a state belongs to, for the progress bar. */
    private static String stageOf(String state) {
        MigrationStatus status = MigrationStatus.parse(state);
        return status != null ? status.progressLabel() : state.toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
}
