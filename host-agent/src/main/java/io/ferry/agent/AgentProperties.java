package io.ferry.agent;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * One agent per physical host. Every setting can come from the environment (FERRY_AGENT_HOST, ...).
 *
 * @param host this host's name; the agent consumes only ferry.agent-commands.&lt;host&gt;
 * @param vms guests this host boots at start, as NAME:MEMORY_MB (the simulated driver's inventory)
 * @param utilisation share of each booted guest's memory it has already used (only used pages are copied)
 * @param writesPerSecond each running guest's memory writes per second
 */
@ConfigurationProperties("ferry.agent")
public record AgentProperties(
        String host,
        @DefaultValue("127.0.0.1") String bindHost,
        @DefaultValue("0") int dataPort,
        @DefaultValue("127.0.0.1") String advertisedHost,
        Path storageDir,
        Path switchDir,
        @DefaultValue("16384") long totalMemoryMb,
        @DefaultValue({"sse4_2", "avx", "avx2"}) List<String> cpuFeatures,
        @DefaultValue("0.6") double utilisation,
        @DefaultValue("2000") long writesPerSecond,
        @DefaultValue("2s") Duration heartbeatInterval,
        @DefaultValue({}) List<String> vms) {

    public AgentProperties {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("ferry.agent.host (FERRY_AGENT_HOST) is required: the name of this host, e.g. hv-01");
        }
        if (storageDir == null) {
            storageDir = Path.of(System.getProperty("java.io.tmpdir"), "ferry", "storage");
        }
        if (switchDir == null) {
            switchDir = Path.of(System.getProperty("java.io.tmpdir"), "ferry", "switch");
        }
    }

    public String commandTopic() {
        return "ferry.agent-commands." + host;
    }
}
