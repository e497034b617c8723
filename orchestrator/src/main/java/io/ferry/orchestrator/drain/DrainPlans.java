package io.ferry.orchestrator.drain;

import io.ferry.orchestrator.OrchestratorProperties;
import io.ferry.orchestrator.inventory.Inventory;
import io.ferry.orchestrator.migrations.MigrationsReadModel;
import io.ferry.orchestrator.placement.Placements;
import java.util.List;
import org.springframework.stereotype.Service;

/** A drain's plan from the hosts as they are now: what the dry run shows and what a drain starts with. */
@Service
class DrainPlans {
    private final Inventory inventory;
    private final Placements placements;
    private final MigrationsReadModel migrations;
    private final OrchestratorProperties limits;

    DrainPlans(Inventory inventory, Placements placements, MigrationsReadModel migrations, OrchestratorProperties limits) {
        this.inventory = inventory;
        this.placements = placements;
        this.migrations = migrations;
        this.limits = limits;
    }

    DrainPlanner.Plan plan(String host, DrainPlanner.Order order, Integer bandwidthMbps) {
        List<String> features = inventory.host(host).map(Inventory.HostRow::cpuFeatures).orElse(List.of());
        List<DrainPlanner.Vm> vms = inventory.vms().stream()
                .filter(v -> v.host().equals(host) && !"SKELETON".equals(v.reportedState()))
                .map(v -> new DrainPlanner.Vm(v.vmId(), v.memoryMb(), features)).toList();
        int slots = Math.min(limits.maxOutboundPerHost(), limits.maxConcurrent());
        return DrainPlanner.plan(host, vms, placements.candidates(), placements.rules(),
                MoveSpeed.fit(migrations.recentDurations(50)).capped(bandwidthMbps), slots, order);
    }
}
