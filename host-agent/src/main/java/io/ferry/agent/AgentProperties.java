package io.ferry.agent;

import io.ferry.agent.hypervisor.simulated.workload.ContentMix;
import io.ferry.agent.hypervisor.simulated.workload.GuestWorkload;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * One agent per physical host. Every setting can come from the environment (FERRY_AGENT_HOST, ...).
 *
 * @param host this host's name; the agent consumes only ferry.agent-commands.&lt;host&gt;
 * @param vms guests this host boots at start, as NAME:MEMORY_MB[:VCPUS[:WORKLOAD]] (the simulated driver's inventory),
 *     e.g. SERVER2:1024:2:hotset:20000
 * @param utilisation share of each booted guest's memory it has already used (only used pages are copied)
 * @param workload what each running guest does to its memory unless its vms entry says: idle, uniform:N,
 *     hotset:N[:FRACTION[:SHARE]], sweep:N or heavy[:N], N in page writes per second (default uniform:2000)
 * @param writesPerSecond deprecated (FERRY_AGENT_WRITES_PER_SECOND): means workload uniform:N, or idle for 0, and
 *     counts only when workload is not set
 * @param contentMix what the used pages of a booted guest contain, as random:R,text:T,zero:Z summing to 1
 * @param memoryDir where guest memory is mapped from; unset: /dev/shm when usable, else java.io.tmpdir
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
        String workload,
        Long writesPerSecond,
        @DefaultValue("random:0.7,text:0.2,zero:0.1") String contentMix,
        Path memoryDir,
        @DefaultValue("2s") Duration heartbeatInterval,
        @DefaultValue({}) List<String> vms) {

    public AgentProperties {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("ferry.agent.host (FERRY_AGENT_HOST) is required: the name of this host, e.g. hv-01");
        }
        if (workload == null || workload.isBlank()) {
            workload = writesPerSecond == null ? DEFAULT_WORKLOAD : GuestWorkload.uniform(writesPerSecond).toString();
        }
        GuestWorkload.parse(workload); // a bad spec fails at start, naming itself and the accepted forms
        ContentMix.parse(contentMix);
        if (storageDir == null) {
            storageDir = Path.of(System.getProperty("java.io.tmpdir"), "ferry", "storage");
        }
        if (switchDir == null) {
            switchDir = Path.of(System.getProperty("java.io.tmpdir"), "ferry", "switch");
        }
    }

    public static final String DEFAULT_WORKLOAD = "uniform:2000";

    public String commandTopic() {
        return "ferry.agent-commands." + host;
    }
}
