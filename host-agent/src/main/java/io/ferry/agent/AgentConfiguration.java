package io.ferry.agent;

import io.ferry.agent.hypervisor.Hypervisor.VmSpec;
import io.ferry.agent.hypervisor.simulated.SimulatedHypervisor;
import io.ferry.agent.network.SimulatedSwitch;
import io.ferry.agent.storage.StorageLeases;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

@Configuration(proxyBeanMethods = false)
public class AgentConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** The simulated driver; a QEMU driver will be chosen here per host by configuration. */
    @Bean
    SimulatedHypervisor simulatedHypervisor(AgentProperties p, Clock clock, StorageLeases leases) {
        SimulatedHypervisor hypervisor = new SimulatedHypervisor(new SimulatedHypervisor.Settings(p.totalMemoryMb(),
                p.cpuFeatures(), p.utilisation(), p.writesPerSecond(), p.bindHost(), p.dataPort(), p.advertisedHost()), clock);
        for (String vm : p.vms()) {
            VmSpec spec = parseVm(p.host(), vm);
            leases.acquire(Disks.of(spec.diskPath()), p.host());
            hypervisor.boot(spec);
        }
        return hypervisor;
    }

    @Bean
    StorageLeases storageLeases(AgentProperties p) {
        return new StorageLeases(p.storageDir());
    }

    @Bean
    SimulatedSwitch simulatedSwitch(AgentProperties p) {
        return new SimulatedSwitch(p.switchDir());
    }

    @Bean
    NewTopic commandTopic(AgentProperties p) {
        return TopicBuilder.name(p.commandTopic()).partitions(3).replicas(1).build();
    }

    /** NAME:MEMORY_MB[:VCPUS] -> a guest with a MAC and disk derived from its name. */
    static VmSpec parseVm(String host, String text) {
        String[] parts = text.strip().split(":");
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException("ferry.agent.vms entry '" + text + "' must be NAME:MEMORY_MB[:VCPUS], e.g. SERVER2:1024");
        }
        int memoryMb;
        int vcpus;
        try {
            memoryMb = Integer.parseInt(parts[1]);
            vcpus = parts.length == 3 ? Integer.parseInt(parts[2]) : 2;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("ferry.agent.vms entry '" + text + "': memory and vcpus must be numbers");
        }
        String name = parts[0];
        int h = name.hashCode();
        String mac = String.format(Locale.ROOT, "00:15:5d:%02x:%02x:%02x", (h >> 16) & 0xff, (h >> 8) & 0xff, h & 0xff);
        return new VmSpec(name, memoryMb, vcpus, mac, "/ferry/disks/" + name + ".vhdx", List.of("sse4_2", "avx", "avx2"));
    }
}
