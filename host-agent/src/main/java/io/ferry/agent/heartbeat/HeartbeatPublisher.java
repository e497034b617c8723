package io.ferry.agent.heartbeat;

import io.ferry.agent.AgentProperties;
import io.ferry.agent.Disks;
import io.ferry.hypervisor.Hypervisor;
import io.ferry.agent.storage.StorageLeases;
import io.ferry.schema.AvroCodec;
import io.ferry.schema.agent.HostHeartbeat;
import io.ferry.schema.agent.VmStatus;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Tells the orchestrator, every few seconds and whenever a VM arrives or leaves, that this host is alive and what it
 * holds.
 */
@Component
public class HeartbeatPublisher {
    public static final String TOPIC = io.ferry.schema.Topics.HEARTBEATS;
    private static final Logger log = LoggerFactory.getLogger(HeartbeatPublisher.class);
    private final KafkaTemplate<String, byte[]> kafka;
    private final Hypervisor hypervisor;
    private final StorageLeases leases;
    private final AgentProperties properties;
    private final Clock clock;
    private final io.ferry.agent.estimate.GuestSampler sampler;
    private final AvroCodec<HostHeartbeat> codec = AvroCodec.of(HostHeartbeat.class);
    /** This agent process's start: a new one tells the orchestrator the agent restarted (see HostHeartbeat). */
    private final java.time.Instant startedAt;

    public HeartbeatPublisher(KafkaTemplate<String, byte[]> kafka, Hypervisor hypervisor, StorageLeases leases,
            AgentProperties properties, Clock clock, io.ferry.agent.estimate.GuestSampler sampler) {
        this.sampler = sampler;
        this.kafka = kafka;
        this.hypervisor = hypervisor;
        this.leases = leases;
        this.properties = properties;
        this.clock = clock;
        this.startedAt = clock.instant();
    }

    /** Synchronized: two beats built by two threads must reach Kafka in the order they were built. */
    @Scheduled(fixedDelayString = "${ferry.agent.heartbeat-interval:2s}", initialDelay = 0)
    public synchronized void beat() {
        HostHeartbeat heartbeat = HostHeartbeat.newBuilder()
                .setHost(properties.host())
                .setSentAt(clock.instant())
                .setDriver(hypervisor.driverName())
                .setTotalMemoryMb(hypervisor.totalMemoryMb())
                .setFreeMemoryMb(hypervisor.freeMemoryMb())
                .setCpuFeatures(hypervisor.cpuFeatures())
                .setDataHost(properties.advertisedHost())
                .setAgentStartedAt(startedAt)
                .setVms(hypervisor.vms().stream().map(vm -> VmStatus.newBuilder()
                        .setVmId(vm.spec().vmId()).setMemoryMb(vm.spec().memoryMb()).setVcpus(vm.spec().vcpus())
                        .setMacAddress(vm.spec().macAddress()).setDiskPath(vm.spec().diskPath())
                        .setState(vm.state().name())
                        .setStorageEpoch(leases.current(Disks.of(vm.spec().diskPath())).epoch())
                        .setSample(sampler.latest(vm.spec().vmId()).map(HeartbeatPublisher::sample).orElse(null))
                        .build()).toList())
                .build();
        kafka.send(TOPIC, properties.host(), codec.encode(heartbeat)).whenComplete((ok, error) -> {
            if (error != null) {
                log.warn("heartbeat not delivered: {}", error.getMessage());
            }
        });
    }

    private static io.ferry.schema.agent.GuestSample sample(io.ferry.hypervisor.estimate.GuestSample s) {
        return new io.ferry.schema.agent.GuestSample(s.sampledAt(), s.windowMs(), s.dirtyPagesPerSec(), s.workingSetPages(),
                s.memoryPages(), s.usedPages(), s.zeroPages());
    }
}
