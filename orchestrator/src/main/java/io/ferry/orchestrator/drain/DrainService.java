package io.ferry.orchestrator.drain;

import io.ferry.orchestrator.api.NotFound;
import io.ferry.orchestrator.core.Ids.DrainId;
import io.ferry.orchestrator.core.Ids.HostId;
import io.ferry.orchestrator.inventory.Inventory;
import java.time.Clock;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

/** The operator's side of drains: plan, start, stop and return a host. The driver does the moving. */
@Service
public class DrainService {
    private final Drains drains;
    private final DrainPlans plans;
    private final DrainsReadModel readModel;
    private final Inventory inventory;
    private final DrainDriver driver;
    private final Clock clock;
    private final Supplier<UUID> ids;

    DrainService(Drains drains, DrainPlans plans, DrainsReadModel readModel, Inventory inventory, DrainDriver driver,
            Clock clock, Supplier<UUID> ids) {
        this.drains = drains;
        this.plans = plans;
        this.readModel = readModel;
        this.inventory = inventory;
        this.driver = driver;
        this.clock = clock;
        this.ids = ids;
    }

    /** A second drain of a host that is still draining. */
    public static final class AlreadyDrainingException extends RuntimeException {
        AlreadyDrainingException(String host, UUID drain) {
            super("host " + host + " is already draining (drain " + drain + "); follow it with `ferry drain --watch "
                    + host + "` or stop it with `ferry drain --cancel " + host + "`");
        }
    }

    public DrainPlanner.Plan plan(String host, DrainPlanner.Order order, Integer bandwidthMbps) {
        return plans.plan(known(host), order, bandwidthMbps);
    }

    /** @param bandwidthMbps each move's link cap, null for none */
    public DrainId start(String host, DrainPlanner.Order order, Integer bandwidthMbps, String requestedBy) {
        String h = known(host);
        readModel.activeOf(h).ifPresent(active -> {
            throw new AlreadyDrainingException(h, active);
        });
        DrainPlanner.Plan plan = plans.plan(h, order, bandwidthMbps);
        // a VM no host can take now is still the drain's: it is placed again when its turn comes, or left with why
        var moves = new java.util.ArrayList<>(plan.moves());
        java.util.Map<String, Integer> memory = plan.unplaceable().isEmpty() ? java.util.Map.of()
                : inventory.vms().stream().filter(v -> v.host().equals(h)).collect(java.util.stream.Collectors.toMap(
                        Inventory.VmRow::vmId, Inventory.VmRow::memoryMb, (a, b) -> a));
        for (DrainPlanner.Unplaceable u : plan.unplaceable()) {
            moves.add(new DrainEvent.PlannedMove(u.vmId(), memory.getOrDefault(u.vmId(), 0), null, moves.size() + 1, 0,
                    u.reason()));
        }
        DrainId id = new DrainId(ids.get());
        try {
            drains.decide(id, new DrainCommand.Start(h, moves, plan.order().name(), bandwidthMbps, plan.predictedMs(),
                    requestedBy,
                    clock.instant()), requestedBy, "drain:" + h);
        } catch (DuplicateKeyException e) { // another drain of the host won the race (drains_one_active_per_host)
            throw new AlreadyDrainingException(h, readModel.activeOf(h).orElse(null));
        }
        driver.wakeUp();
        return id;
    }

    public DrainId cancel(String host, boolean cancelRunning, String requestedBy) {
        String h = known(host);
        UUID active = readModel.activeOf(h).orElseThrow(() -> new NotFound("no drain is running on host " + h
                + "; `ferry undrain " + h + "` returns a drained host to ACTIVE"));
        DrainId id = new DrainId(active);
        drains.decide(id, new DrainCommand.Cancel(requestedBy, cancelRunning, clock.instant()), requestedBy,
                "drain-cancel:" + h);
        driver.wakeUp();
        return id;
    }

    public DrainId undrain(String host, String requestedBy) {
        String h = known(host);
        UUID latest = readModel.latestOf(h).orElseThrow(() -> new NotFound("host " + h + " was never drained; it is "
                + "ACTIVE"));
        DrainId id = new DrainId(latest);
        drains.decide(id, new DrainCommand.Return(requestedBy, clock.instant()), requestedBy, "undrain:" + h);
        driver.wakeUp();
        return id;
    }

    public DrainId latest(String host) {
        String h = known(host);
        return readModel.latestOf(h).map(DrainId::new).orElseThrow(() -> new NotFound("host " + h
                + " was never drained"));
    }

    private String known(String host) {
        String h = new HostId(host).value();
        if (inventory.host(h).isEmpty()) {
            throw new NotFound("host " + h + " is unknown: no agent of that name has reported (known: "
                    + inventory.hosts().stream().map(Inventory.HostRow::host).toList() + ")");
        }
        return h;
    }
}
