package io.ferry.orchestrator.inventory;

import io.ferry.hypervisor.estimate.GuestSample;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A heartbeat's guest sample as kept in {@code host_vms.sample}, and back. */
final class GuestSamples {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private GuestSamples() {}

    static String toJson(io.ferry.schema.agent.GuestSample s) {
        if (s == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sampledAt", s.getSampledAt().toString());
        m.put("windowMs", s.getWindowMs());
        m.put("dirtyPagesPerSec", s.getDirtyPagesPerSec());
        m.put("workingSetPages", s.getWorkingSetPages());
        m.put("memoryPages", s.getMemoryPages());
        m.put("usedPages", s.getUsedPages());
        m.put("zeroPages", s.getZeroPages());
        return JSON.writeValueAsString(m);
    }

    static Optional<GuestSample> fromJson(String text) {
        if (text == null) {
            return Optional.empty();
        }
        JsonNode n = JSON.readTree(text);
        return Optional.of(new GuestSample(Instant.parse(n.path("sampledAt").asString()), n.path("windowMs").asLong(),
                n.path("dirtyPagesPerSec").asDouble(), n.path("workingSetPages").asDouble(), n.path("memoryPages").asLong(),
                n.path("usedPages").asLong(), n.path("zeroPages").asLong()));
    }
}
