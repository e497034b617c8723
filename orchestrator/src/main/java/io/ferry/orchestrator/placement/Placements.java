package io.ferry.orchestrator.placement;

import io.ferry.orchestrator.OrchestratorProperties;
import io.ferry.orchestrator.inventory.Inventory;
import io.ferry.orchestrator.migrations.MigrationsReadModel;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;

/** Places a VM on the hosts as they are now: the inventory, the drains' host modes and the migrations under way. */
@Service
public class Placements {
    private final Inventory inventory;
    private final HostModes modes;
    private final MigrationsReadModel migrations;
    private final OrchestratorProperties properties;

    Placements(Inventory inventory, HostModes modes, MigrationsReadModel migrations, OrchestratorProperties properties) {
        this.inventory = inventory;
        this.modes = modes;
        this.migrations = migrations;
        this.properties = properties;
    }

    public Placer.Outcome place(Placer.Need need) {
        return Placer.place(need, candidates(), rules());
    }

    public Placer.Rules rules() {
        return new Placer.Rules(properties.hostLivenessTimeout(), properties.maxOutboundPerHost());
    }

    /** Every host ferry knows, with what placement checks of it. */
    public List<Candidate> candidates() {
        Map<String, HostMode> notActive = modes.notActive();
        Map<String, Integer> incoming = migrations.inFlightByDestination();
        Map<String, Long> reserved = migrations.queuedMemoryByDestination();
        return inventory.hosts().stream().map(h -> new Candidate(h.host(), h.status() == Inventory.HostStatus.REACHABLE,
                notActive.getOrDefault(h.host(), HostMode.ACTIVE), h.freeMemoryMb(), reserved.getOrDefault(h.host(), 0L),
                h.cpuFeatures(), incoming.getOrDefault(h.host(), 0))).toList();
    }
}
