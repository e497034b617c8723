package io.ferry.orchestrator.submit;

import io.ferry.orchestrator.OrchestratorProperties;
import io.ferry.orchestrator.core.Forecast;
import io.ferry.orchestrator.core.Ids.DrainId;
import io.ferry.orchestrator.core.Ids.HostId;
import io.ferry.orchestrator.core.Ids.MigrationId;
import io.ferry.orchestrator.core.Ids.RequestId;
import io.ferry.orchestrator.core.Ids.VmId;
import io.ferry.orchestrator.core.MigrationCommand.Channel;
import io.ferry.orchestrator.core.MigrationCommand.Submit;
import io.ferry.orchestrator.core.MigrationState.Plan;
import io.ferry.orchestrator.core.Placement;
import io.ferry.orchestrator.core.Policy;
import io.ferry.orchestrator.core.VmSpec;
import io.ferry.orchestrator.decision.EventMetadata;
import io.ferry.orchestrator.estimate.Estimates;
import io.ferry.orchestrator.inventory.Inventory.VmRow;
import io.ferry.orchestrator.inventory.Inventory;
import io.ferry.orchestrator.migration.Migrations;
import io.ferry.orchestrator.migrations.MigrationsReadModel;
import io.ferry.orchestrator.placement.HostMode;
import io.ferry.orchestrator.placement.HostModes;
import io.ferry.orchestrator.placement.Placements;
import io.ferry.orchestrator.placement.Placer;
import io.ferry.orchestrator.submit.RejectedRequestException.Reason;
import io.ferry.schema.request.MigrationRequest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

/**
 * Turns a migration request, from any channel, into a Submit: checks it against the inventory, fills in the
 * defaults and hands it to the state machine. The same request id always maps to the same migration.
 */
@Service
public class SubmissionService {
    /** What a topic request's claimed requester is recorded behind: kafka:ops is not the REST user ops. */
    public static final String TOPIC_ACTOR_PREFIX = "kafka:";
    private final Inventory inventory;
    private final Migrations migrations;
    private final Rejections rejections;
    private final MigrationsReadModel readModel;
    private final Clock clock;
    private final Supplier<UUID> ids;
    private final OrchestratorProperties properties;
    private final Placements placements;
    private final HostModes hostModes;
    private final Estimates estimates;

    public SubmissionService(Inventory inventory, Migrations migrations, Rejections rejections, MigrationsReadModel readModel,
            Clock clock, Supplier<UUID> ids, OrchestratorProperties properties, Placements placements,
            HostModes hostModes, Estimates estimates) {
        this.estimates = estimates;
        this.placements = placements;
        this.hostModes = hostModes;
        this.properties = properties;
        this.inventory = inventory;
        this.migrations = migrations;
        this.rejections = rejections;
        this.readModel = readModel;
        this.clock = clock;
        this.ids = ids;
    }

    /** @return the migration id; a rejected request is recorded and rethrown */
    public MigrationId submit(MigrationRequest request, Channel channel, String source) {
        try {
            return accept(request, channel);
        } catch (RejectedRequestException e) {
            rejections.record(request.getRequestId(), request.getVmId(), channel.name(), e, clock.instant(), source);
            throw e;
        }
    }

    /** @return the migration id; a rejection is thrown for the caller to record (the topic adds a dead letter) */
    public MigrationId accept(MigrationRequest request, Channel channel) {
        return accept(request, channel, null);
    }

    /** @param drain the drain this request moves a VM for (admitted first), or null for an ordinary request */
    public MigrationId accept(MigrationRequest request, Channel channel, DrainId drain) {
        RequestStrings.check(request);
        RequestId requestId = id("requestId", () -> new RequestId(request.getRequestId()));
        VmId vmId = id("vmId", () -> new VmId(request.getVmId()));
        Optional<HostId> named = request.getDestinationHost() == null ? Optional.empty()
                : Optional.of(id("destinationHost", () -> new HostId(request.getDestinationHost())));
        Optional<MigrationId> existing = existingMigration(requestId);
        if (existing.isPresent()) {
            sameParameters(existing.get(), request);
            return existing.get(); // the same request again: one migration
        }
        // Before any check of the hosts: a migration under way changes what they report (its skeleton takes the
        // destination's memory, the VM pauses at the switchover), so checked later this answer depended on timing.
        rejectIfMigrating(vmId);
        VmRow vm = inventory.runningVm(vmId.value()).orElseThrow(() -> new RejectedRequestException(Reason.VM_NOT_FOUND,
                "VM " + vmId + " is not running on any host ferry knows (agents report their VMs every few seconds); "
                        + "check the VM name against GET /api/vms"));
        HostId source = new HostId(vm.host());
        if (request.getSourceHost() != null && !request.getSourceHost().equals(vm.host())) {
            throw new RejectedRequestException(Reason.SOURCE_MISMATCH, "VM " + vmId + " runs on " + vm.host() + ", not on "
                    + request.getSourceHost() + "; omit sourceHost or correct it");
        }
        if (!inventory.alive(source.value(), properties.hostLivenessTimeout())) {
            throw new RejectedRequestException(Reason.HOST_UNREACHABLE, "source " + source + " sent no heartbeat in the "
                    + "last " + properties.hostLivenessTimeout().toSeconds() + " s; check its agent (GET /api/hosts shows "
                    + "the last heartbeat)");
        }
        // The VM needs every CPU feature its source offers it (vMotion's EVC rule): a destination without one of
        // them could not run the guest after the switchover.
        List<String> required = inventory.host(source.value()).map(Inventory.HostRow::cpuFeatures).orElse(List.of());
        Placement placement = null;
        HostId destination;
        if (named.isPresent()) {
            destination = named.get();
            checkNamedDestination(vmId, vm, source, destination, required);
        } else {
            Placer.Outcome outcome = placements.place(new Placer.Need(vmId.value(), source.value(), vm.memoryMb(), required,
                    java.util.Set.of()));
            placement = outcome.placement().orElseThrow(() -> new RejectedRequestException(Reason.NO_DESTINATION,
                    "destinationHost", "no host can take " + vmId + " (" + vm.memoryMb() + " MB) now: "
                    + outcome.explain() + "; free a host or name one"));
            destination = placement.chosen();
        }
        Policy policy = policy(request);
        String requestedBy = actor(request, channel);
        VmSpec spec = new VmSpec(vmId, vm.memoryMb(), vm.vcpus(), vm.macAddress(), vm.diskPath(), required);
        MigrationId id = new MigrationId(ids.get());
        // Recorded with the request, so that once it ends estimate and actual stand side by side.
        Forecast forecast = estimates.forecast(vmId.value(), destination.value(), policy);
        try {
            migrations.decide(id, new Submit(requestId, spec, source, destination, policy, requestedBy, channel,
                    clock.instant(), placement, drain, forecast), new EventMetadata(requestedBy, requestId.value(),
                    requestId.value(), clock.instant()), Optional.empty());
        } catch (DuplicateKeyException e) {
            // Another request was admitted between the checks above and this commit: the same request id, or the
            // same VM (migrations_one_active_per_vm).
            Optional<MigrationId> admitted = existingMigration(requestId);
            if (admitted.isPresent()) {
                return admitted.get();
            }
            rejectIfMigrating(vmId);
            throw e;
        }
        return id;
    }

    /** A destination the request named must pass the same pre-checks placement applies to every host. */
    private void checkNamedDestination(VmId vmId, VmRow vm, HostId source, HostId destination, List<String> required) {
        if (source.equals(destination)) {
            throw new RejectedRequestException(Reason.SAME_HOST, "VM " + vmId + " already runs on " + destination
                    + "; choose another destination");
        }
        var host = inventory.host(destination.value()).orElseThrow(() -> new RejectedRequestException(
                Reason.DESTINATION_UNKNOWN, "destination host " + destination + " is unknown: no agent of that name has "
                        + "reported (known: " + inventory.hosts().stream().map(Inventory.HostRow::host).toList() + ")"));
        HostMode mode = hostModes.of(destination.value());
        if (mode != HostMode.ACTIVE) {
            throw new RejectedRequestException(Reason.HOST_NOT_ACTIVE, "destinationHost", "destination " + destination
                    + " is " + mode + ": nothing is placed on it until `ferry undrain " + destination + "`; choose "
                    + "another destination or leave destinationHost out");
        }
        if (!inventory.alive(destination.value(), properties.hostLivenessTimeout())) {
            throw new RejectedRequestException(Reason.HOST_UNREACHABLE, "destination " + destination + " sent no "
                    + "heartbeat in the last " + properties.hostLivenessTimeout().toSeconds() + " s; check its agent "
                    + "(GET /api/hosts shows the last heartbeat)");
        }
        List<String> missing = required.stream().filter(f -> !host.cpuFeatures().contains(f)).toList();
        if (!missing.isEmpty()) {
            throw new RejectedRequestException(Reason.CPU_INCOMPATIBLE, "destination " + destination + " lacks CPU "
                    + "features " + missing + " that " + vmId + " uses on " + source + "; choose a destination with them");
        }
        if (host.freeMemoryMb() < vm.memoryMb()) {
            throw new RejectedRequestException(Reason.INSUFFICIENT_MEMORY, "destination " + destination + " has "
                    + host.freeMemoryMb() + " MB free but " + vmId + " needs " + vm.memoryMb() + " MB");
        }
    }

    /**
     * Who the audit trail names. REST and the CLI authenticate their user; a topic record only claims a name, so it
     * is kept behind the channel's prefix and can never read as a logged-in user (whose names hold no ':').
     */
    static String actor(MigrationRequest request, Channel channel) {
        String claimed = request.getRequestedBy() == null || request.getRequestedBy().isBlank()
                ? "anonymous" : request.getRequestedBy();
        return switch (channel) {
            case TOPIC -> TOPIC_ACTOR_PREFIX + claimed;
            case REST, CLI, DRAIN -> claimed;
        };
    }

    /** The same requestId with other parameters is another request under a reused key, not a retry: refuse it. */
    private void sameParameters(MigrationId id, MigrationRequest request) {
        Plan earlier = migrations.current(id).requested().orElseThrow();
        Policy policy = policy(request);
        List<String> differ = new ArrayList<>();
        differ(differ, "vmId", earlier.vm().vmId().value(), request.getVmId());
        if (request.getDestinationHost() != null) { // left out: ferry placed it, and a retry may not place it again
            differ(differ, "destinationHost", earlier.destination().value(), request.getDestinationHost());
        }
        if (request.getSourceHost() != null) {
            differ(differ, "sourceHost", earlier.source().value(), request.getSourceHost());
        }
        differ(differ, "maxDowntimeMs", earlier.policy().maxDowntimeMs(), policy.maxDowntimeMs());
        differ(differ, "bandwidthMbps", earlier.policy().bandwidthMbps(), policy.bandwidthMbps());
        differ(differ, "maxRounds", earlier.policy().maxRounds(), policy.maxRounds());
        differ(differ, "autoConverge", earlier.policy().autoConverge(), policy.autoConverge());
        differ(differ, "compression", earlier.policy().compression(), policy.compression());
        differ(differ, "progressTimeoutS", earlier.policy().progressTimeoutS(), policy.progressTimeoutS());
        differ(differ, "completionTimeoutPerGiBS", earlier.policy().completionTimeoutPerGiBS(),
                policy.completionTimeoutPerGiBS());
        if (!differ.isEmpty()) {
            throw new RejectedRequestException(Reason.REQUEST_ID_CONFLICT, "requestId", "requestId "
                    + request.getRequestId() + " already made migration " + id + " with other parameters: "
                    + String.join(", ", differ) + "; send those parameters again to retry it, or use a new requestId "
                    + "for a new migration");
        }
    }

    private static void differ(List<String> differ, String field, Object earlier, Object now) {
        if (!earlier.equals(now)) {
            differ.add(field + " was " + earlier + ", now " + now);
        }
    }

    private static <T> T id(String field, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new RejectedRequestException(Reason.INVALID_REQUEST, field, e.getMessage());
        }
    }

    private static Policy policy(MigrationRequest r) {
        Policy d = Policy.defaults();
        try {
            return new Policy(
                    r.getMaxDowntimeMs() == null ? d.maxDowntimeMs() : r.getMaxDowntimeMs(),
                    r.getBandwidthMbps() == null ? d.bandwidthMbps() : r.getBandwidthMbps(),
                    r.getMaxRounds() == null ? d.maxRounds() : r.getMaxRounds(),
                    r.getAutoConverge() == null ? d.autoConverge() : r.getAutoConverge(),
                    r.getCompression() == null ? d.compression() : Policy.Compression.valueOf(r.getCompression().name()),
                    r.getProgressTimeoutS() == null ? d.progressTimeoutS() : r.getProgressTimeoutS(),
                    r.getCompletionTimeoutPerGiBS() == null ? d.completionTimeoutPerGiBS() : r.getCompletionTimeoutPerGiBS());
        } catch (IllegalArgumentException e) {
            throw new RejectedRequestException(Reason.INVALID_REQUEST, e.getMessage());
        }
    }

    private Optional<MigrationId> existingMigration(RequestId requestId) {
        return readModel.idByRequestId(requestId.value()).map(MigrationId::new);
    }

    private void rejectIfMigrating(VmId vmId) {
        if (activeMigrationOf(vmId)) {
            throw new RejectedRequestException(Reason.VM_ALREADY_MIGRATING, "VM " + vmId
                    + " is already migrating; wait for that migration to end or cancel it");
        }
    }

    private boolean activeMigrationOf(VmId vmId) {
        return readModel.hasActiveMigration(vmId.value());
    }
}
