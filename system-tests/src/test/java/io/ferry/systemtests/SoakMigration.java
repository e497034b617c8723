package io.ferry.systemtests;

import io.ferry.agent.Disks;
import io.ferry.agent.storage.StorageLeaseException;
import io.ferry.agent.storage.StorageLeases;
import io.ferry.systemtests.AgentInspection.Guest;
import io.ferry.systemtests.SoakReport.Violation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * One migration of the soak: pick a guest that runs on exactly one host, note its memory digest and its disk's
 * lease, submit, inject faults until it ends, heal, then check:
 * <ol>
 *   <li>it ended in a terminal state within its timeouts ({@link ChaosSoak.Settings#terminalDeadline()});</li>
 *   <li>exactly one running copy of the guest, on the host its outcome names (destination for COMPLETED, source for
 *       CANCELLED and ROLLED_BACK), as both agents report and as the orchestrator's inventory shows;</li>
 *   <li>that copy's memory digest, read from its memory by its agent, equals the one the idle guest had before;</li>
 *   <li>no write under a stale storage epoch: the running copy's host holds the disk's lease, the epoch never went
 *       back, a completed hand-off raised it (the log's StorageAcquired epoch is the lease's) and the previous owner's
 *       write with its old epoch is refused;</li>
 *   <li>a contiguous history with nothing issued twice ({@link HistoryChecks}).</li>
 * </ol>
 */
final class SoakMigration {
    private static final Logger log = LoggerFactory.getLogger(SoakMigration.class);
    private static final Duration SETTLE = Duration.ofSeconds(20);

    private final ChaosSoak soak;
    private final int number;
    private final int quota;
    private final SplittableRandom random;
    private String migrationId = "-";
    private String vmId = "-";

    SoakMigration(ChaosSoak soak, int number, int quota, SplittableRandom random) {
        this.soak = soak;
        this.number = number;
        this.quota = quota;
        this.random = random;
    }

    void run() {
        Map<String, List<Guest>> before = soak.guests().orElseThrow();
        List<String[]> candidates = singleRunningCopies(before);
        if (candidates.isEmpty()) {
            String host = ChaosSoak.HOSTS.get(random.nextInt(ChaosSoak.HOSTS.size()));
            soak.provision(host);
            if (!soak.recover()) {
                soak.report.note("#" + number + ": the stack did not recover after provisioning a guest");
                return;
            }
            before = soak.guests().orElseThrow();
            candidates = singleRunningCopies(before);
            if (candidates.isEmpty()) {
                soak.report.note("#" + number + ": a provisioned guest did not show up on " + host + ": " + before);
                return;
            }
        }
        String[] pick = candidates.get(random.nextInt(candidates.size()));
        vmId = pick[0];
        String source = pick[1];
        String destination = ChaosSoak.HOSTS.stream().filter(h -> !h.equals(source)).findFirst().orElseThrow();
        String disk = Disks.of("/ferry/disks/" + vmId + ".vhdx");
        String digest = digestOf(before, source);
        Optional<String> again = soak.agents.get(source).guests().flatMap(g -> g.stream()
                .filter(x -> x.vmId().equals(vmId)).map(Guest::memoryDigest).findFirst());
        boolean idle = digest != null && again.isPresent() && digest.equals(again.get());
        StorageLeases.Lease leaseBefore = leases().current(disk);

        // the orchestrator must know where the guest is, and have heard from both hosts lately (its pre-checks refuse a
        // host silent for its liveness timeout), before it is asked to move it
        ChaosSoak.poll(Duration.ofSeconds(60), () -> soak.api.vm(source, vmId)
                .map(vm -> vm.path("state").asString("").equals("RUNNING")).orElse(false)
                && heardFromLately(source) && heardFromLately(destination));

        Instant submitted = Instant.now();
        try {
            migrationId = soak.api.submit(Map.of("requestId", "soak-" + UUID.randomUUID(), "vmId", vmId,
                    "destinationHost", destination, "bandwidthMbps", soak.settings.bandwidthMbps(),
                    "progressTimeoutS", soak.settings.progressTimeoutS(),
                    "completionTimeoutPerGiBS", soak.settings.completionTimeoutPerGiBS()));
        } catch (AssertionError | RuntimeException e) {
            soak.report.note("#" + number + ": " + vmId + " " + source + "->" + destination + " not submitted: "
                    + e.getMessage());
            soak.report.migration(new SoakReport.Migration(number, "-", vmId, source, destination, "NOT_SUBMITTED", 0,
                    List.of(), e.getMessage()));
            return;
        }
        log.info("soak #{}: {} {} -> {} as {}", number, vmId, source, destination, migrationId);

        ChaosSoak.Injector injector = soak.new Injector(random, source, destination, quota);
        injector.start();
        long cancelAt = random.nextDouble() < soak.settings.cancelChance() ? 1_000 + random.nextInt(6_000) : -1;
        String state = null;
        boolean cancelled = false;
        // the timeouts run on the orchestrator's clock: the time it was down or its database paused is added
        while (Instant.now().isBefore(submitted.plus(soak.settings.terminalDeadline())
                .plusMillis(injector.stalledMillis.get())) || injector.stalling()) {
            String seen = soak.api.state(migrationId);
            state = seen == null ? state : seen;
            if (state != null && ChaosSoak.TERMINAL.contains(state)) {
                break;
            }
            if (!cancelled && cancelAt >= 0 && Duration.between(submitted, Instant.now()).toMillis() >= cancelAt) {
                cancelled = true;
                soak.report.cancelRequested();
                log.info("soak #{}: cancel answered {}", number, soak.api.cancel(migrationId));
            }
            ChaosSoak.sleep(250);
        }
        long seconds = Duration.between(submitted, Instant.now()).toSeconds();
        injector.stopAndHeal();
        boolean recovered = soak.recover();
        if (!recovered) {
            violation("recovery", "the stack did not answer again after the faults were healed");
        }
        if (state == null || !ChaosSoak.TERMINAL.contains(state)) {
            violation("terminal", "not in a terminal state " + soak.settings.terminalDeadline().toSeconds()
                    + " s after submission plus " + injector.stalledMillis.get() / 1000 + " s the orchestrator was down or"
                    + " its database paused (last seen " + state + ")");
            // let it end before the next migration, so the soak goes on with the guest in a known place
            ChaosSoak.poll(Duration.ofSeconds(120), () -> ChaosSoak.TERMINAL.contains(soak.api.state(migrationId)));
            String late = soak.api.state(migrationId);
            state = "NOT_TERMINAL(" + state + (late == null || late.equals(state) ? "" : ", later " + late) + ")";
        }
        JsonNode migration = soak.api.migration(migrationId).orElse(null);
        String detail = migration == null ? null : migration.path("failureReason").asString(null);
        soak.report.migration(new SoakReport.Migration(number, migrationId, vmId, source, destination, state, seconds,
                List.copyOf(injector.injected), detail));
        if (injector.injected.isEmpty() && !cancelled && !"COMPLETED".equals(state)) {
            // nothing was done to it: a migration that still fails shows a fault of ferry's own (or of the soak's setup)
            violation("fault-free", "no fault was injected and no cancel asked, yet it ended " + state + " (" + detail + ")");
        }
        if (recovered) {
            checkCopies(state, source, destination, digest, idle, disk, leaseBefore);
        }
        checkHistory();
    }

    private void checkCopies(String state, String source, String destination, String digestBefore, boolean idle,
            String disk, StorageLeases.Lease leaseBefore) {
        String expected = switch (state) {
            case "COMPLETED" -> destination;
            case "CANCELLED", "ROLLED_BACK" -> source;
            default -> null; // FAILED or not terminal: the source could not confirm; wherever it runs, once
        };
        // The guests settle within a few heartbeats of the end (a paused source is discarded, a skeleton dropped).
        Map<String, List<Guest>>[] last = new Map[1];
        boolean[] twoAtOnce = {false};
        boolean settled = ChaosSoak.poll(SETTLE, () -> {
            Optional<Map<String, List<Guest>>> now = soak.guests();
            if (now.isEmpty()) {
                return false;
            }
            last[0] = now.get();
            List<String> running = runningOn(last[0]);
            twoAtOnce[0] |= running.size() > 1;
            return running.size() == 1 && (expected == null || running.getFirst().equals(expected));
        });
        if (last[0] == null) {
            violation("one running copy", "the agents did not answer for " + SETTLE.toSeconds() + " s");
            return;
        }
        List<String> running = runningOn(last[0]);
        if (twoAtOnce[0]) {
            violation("one running copy", "two running copies seen at once: " + describe(last[0]));
        }
        if (!settled) {
            violation("one running copy", running.size() + " running copies after the migration ended " + state
                    + (expected == null ? "" : " (expected one on " + expected + ")") + ": " + describe(last[0]));
        }
        for (String host : running) {
            String digest = digestOf(last[0], host);
            if (!idle) {
                soak.report.note("#" + number + " " + vmId + ": its digest changed between two reads before the"
                        + " migration, so it is not idle and its digest was not compared");
            } else if (!digestBefore.equals(digest)) {
                violation("memory digest", "the copy running on " + host + " has memory digest " + digest
                        + ", the guest had " + digestBefore + " before the migration");
            }
        }
        checkInventory(running);
        checkStorage(state, running, disk, leaseBefore);
    }

    /** The orchestrator's inventory shows the guest running where the agents say, within a few heartbeats. */
    private void checkInventory(List<String> running) {
        List<String>[] shown = new List[1];
        boolean agrees = ChaosSoak.poll(SETTLE, () -> {
            try {
                List<String> hosts = new ArrayList<>();
                for (JsonNode vm : soak.api.vms()) {
                    if (vm.path("vmId").asString("").equals(vmId) && vm.path("state").asString("").equals("RUNNING")) {
                        hosts.add(vm.path("host").asString());
                    }
                }
                shown[0] = hosts.stream().sorted().toList();
                return shown[0].equals(running.stream().sorted().toList());
            } catch (RuntimeException e) {
                return false;
            }
        });
        if (!agrees) {
            violation("one running copy", "the orchestrator's inventory shows " + vmId + " running on " + shown[0]
                    + " but the agents report it running on " + running);
        }
    }

    private void checkStorage(String state, List<String> running, String disk, StorageLeases.Lease before) {
        StorageLeases leases = leases();
        StorageLeases.Lease now = leases.current(disk);
        long highest = soak.epochs.getOrDefault(disk, before.epoch());
        if (now.epoch() < highest) {
            violation("storage epoch", "the lease of " + disk + " went back from epoch " + highest + " to " + now.epoch());
        }
        soak.epochs.put(disk, Math.max(highest, now.epoch()));
        if (running.size() == 1 && !running.getFirst().equals(now.owner())) {
            violation("storage epoch", vmId + " runs on " + running.getFirst() + " but the lease of " + disk + " is "
                    + (now.held() ? now.owner() + "@" + now.epoch() : "free at epoch " + now.epoch())
                    + ": its writes would carry a stale epoch or none");
        }
        if (state.equals("COMPLETED")) {
            if (now.epoch() <= before.epoch()) {
                violation("storage epoch", "completed, but the epoch of " + disk + " stayed " + now.epoch());
            }
            List<EventLog.StorageEvent> events = soak.stack.eventLog.storageEvents(migrationId);
            events.stream().filter(e -> e.type().equals("StorageAcquired")).forEach(e -> {
                if (e.epoch() <= before.epoch() || e.epoch() != now.epoch()) {
                    violation("storage epoch", "the log's StorageAcquired by " + e.host() + " has epoch " + e.epoch()
                            + "; the lease was at " + before.epoch() + " before and is at " + now.epoch() + " now");
                }
            });
        }
        if (before.held() && !before.owner().equals(now.owner())) {
            try {
                leases.write(disk, before.owner(), before.epoch(), ("soak probe #" + number + "\n").getBytes());
                violation("storage epoch", "a write by the previous owner " + before.owner() + " with its old epoch "
                        + before.epoch() + " was accepted; the lease is " + now.owner() + "@" + now.epoch());
            } catch (StorageLeaseException fenced) {
                // refused, as it must be
            }
        }
    }

    private void checkHistory() {
        if (migrationId.equals("-")) {
            return;
        }
        try {
            HistoryChecks.assertContiguousWithNothingTwice(migrationId, soak.stack.eventLog.events(migrationId),
                    soak.stack.eventLog.projectedVersion(migrationId));
        } catch (AssertionError e) {
            violation("history", e.getMessage().replace('\n', ' '));
        }
    }

    private boolean heardFromLately(String host) {
        try {
            for (JsonNode h : soak.api.hosts()) {
                if (h.path("host").asString("").equals(host)) {
                    return Instant.parse(h.path("lastHeartbeatAt").asString()).isAfter(Instant.now().minusSeconds(5));
                }
            }
        } catch (RuntimeException e) {
            // not reachable right now
        }
        return false;
    }

    private StorageLeases leases() {
        return new StorageLeases(soak.stack.shared().resolve("storage"));
    }

    private void violation(String check, String what) {
        Violation v = new Violation(number, migrationId, vmId, check, what);
        log.warn("soak violation: {}", v);
        soak.report.violation(v);
    }

    private List<String> runningOn(Map<String, List<Guest>> guests) {
        return guests.entrySet().stream().filter(e -> e.getValue().stream()
                .anyMatch(g -> g.vmId().equals(vmId) && g.running())).map(Map.Entry::getKey).toList();
    }

    private String digestOf(Map<String, List<Guest>> guests, String host) {
        return guests.getOrDefault(host, List.of()).stream().filter(g -> g.vmId().equals(vmId) && g.running())
                .map(Guest::memoryDigest).findFirst().orElse(null);
    }

    private String describe(Map<String, List<Guest>> guests) {
        Map<String, String> states = new LinkedHashMap<>();
        guests.forEach((host, list) -> states.put(host, list.stream().filter(g -> g.vmId().equals(vmId))
                .map(Guest::state).findFirst().orElse("-")));
        return states.toString();
    }

    /** Guests that run on exactly one host, as {vmId, host}. */
    private static List<String[]> singleRunningCopies(Map<String, List<Guest>> guests) {
        Map<String, List<String>> hostsOf = new LinkedHashMap<>();
        guests.forEach((host, list) -> list.stream().filter(Guest::running)
                .forEach(g -> hostsOf.computeIfAbsent(g.vmId(), v -> new ArrayList<>()).add(host)));
        return hostsOf.entrySet().stream().filter(e -> e.getValue().size() == 1)
                .map(e -> new String[] {e.getKey(), e.getValue().getFirst()}).sorted(java.util.Comparator.comparing(a -> a[0]))
                .toList();
    }
}
