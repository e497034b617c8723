package io.ferry.orchestrator.estimate;

import io.ferry.hypervisor.estimate.Estimate;
import io.ferry.hypervisor.estimate.GuestSample;
import io.ferry.orchestrator.api.ApiEndpoint;
import io.ferry.orchestrator.api.Filters;
import io.ferry.orchestrator.api.InvalidParameter;
import io.ferry.orchestrator.api.NotFound;
import io.ferry.orchestrator.core.Policy;
import io.ferry.orchestrator.inventory.Inventory;
import java.util.List;
import java.util.Optional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** {@code GET /api/estimate}: the pre-flight estimate of migrating a VM, at once, without migrating it. */
@ApiEndpoint
class EstimateController {
    private final Estimates estimates;
    private final Inventory inventory;

    EstimateController(Estimates estimates, Inventory inventory) {
        this.estimates = estimates;
        this.inventory = inventory;
    }

    @GetMapping("/estimate")
    EstimateView estimate(@RequestParam(required = false) String vm, @RequestParam(required = false) String to,
            @RequestParam(required = false) String bandwidthMbps, @RequestParam(required = false) String maxDowntimeMs,
            @RequestParam(required = false) String maxRounds, @RequestParam(required = false) String autoConverge) {
        if (vm == null || vm.isBlank()) {
            throw new InvalidParameter("vm", "vm is required: the VM to estimate, as GET /api/vms lists it");
        }
        Filters.check("vm", vm, "to", to);
        Policy d = Policy.defaults();
        Policy policy;
        try {
            policy = new Policy(number("maxDowntimeMs", maxDowntimeMs, d.maxDowntimeMs(), 1, 60_000),
                    (int) number("bandwidthMbps", bandwidthMbps, d.bandwidthMbps(), 0, 1_000_000),
                    (int) number("maxRounds", maxRounds, d.maxRounds(), 1, 1000), bool("autoConverge", autoConverge),
                    d.compression());
        } catch (IllegalArgumentException e) {
            throw new InvalidParameter("policy", e.getMessage());
        }
        Estimates.Answer answer = estimates.estimate(vm, Optional.ofNullable(to).filter(t -> !t.isBlank()), policy).orElseThrow(() -> new NotFound("VM " + vm + " is not "
                + "running on any host ferry knows (agents report their VMs every few seconds); check the name against "
                + "GET /api/vms"));
        if (to != null) {
            if (inventory.host(to).isEmpty()) {
                throw new InvalidParameter("to", "no host '" + to + "' is known; GET /api/hosts lists them");
            }
            if (to.equals(answer.sourceHost())) {
                throw new InvalidParameter("to", "VM " + vm + " already runs on " + to + "; name another host");
            }
        }
        return EstimateView.of(answer, to);
    }

    private static long number(String field, String text, long fallback, long min, long max) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        long value;
        try {
            value = Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw new InvalidParameter(field, field + " must be a whole number, got '" + text + "'");
        }
        if (value < min || value > max) {
            throw new InvalidParameter(field, field + " must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    private static boolean bool(String field, String text) {
        if (text == null || text.isBlank()) {
            return false;
        }
        return switch (text.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new InvalidParameter(field, field + " must be true or false, got '" + text + "'");
        };
    }

    /**
     * The estimate as the API shows it.
     *
     * @param sample the guest sample it rests on; null when the source has not sampled the guest yet (then it is
     *     modelled idle with all its memory used, which {@code note} says)
     * @param remedies when it does not converge: the bandwidth, auto-converge throttle and downtime limit that would
     *     make it (each null when none would)
     * @param throttledRateFactor the share of its sample's dirty rate a throttled guest is played at, as its own recent
     *     migrations' throttled rounds showed it (1: the sample's rate; a guest writes slower beside its own migration)
     */
    record EstimateView(String vmId, String sourceHost, String destinationHost, String driver, boolean converges, int rounds,
            long totalMs, long precopyMs, long downtimeMs, int throttlePercent, double linkMbps, String linkSource,
            String why, Estimate.Remedies remedies, PolicyView policy, GuestSample sample, String note,
            int historyMigrations, double throttledRateFactor, List<Estimate.Round> perRound) {
        static EstimateView of(Estimates.Answer a, String to) {
            Estimate e = a.estimate();
            Policy p = a.policy();
            return new EstimateView(a.vmId(), a.sourceHost(), to, a.driver(), e.converges(), e.rounds(), e.totalMs(),
                    e.precopyMs(), e.downtimeMs(), e.throttlePercent(), Math.round(e.linkMbps() * 10) / 10.0,
                    a.linkSource(), e.why(), e.remedies(), new PolicyView(p.maxDowntimeMs(), p.bandwidthMbps(), p.maxRounds(),
                    p.autoConverge()), a.sample().orElse(null), a.sample().isPresent() ? null
                    : "the source has not sampled this guest yet (it does every 15 s while it runs): modelled as idle "
                    + "with all its memory used", a.history().migrations(), Math.round(a.throttledRateFactor() * 1000) / 1000.0,
                    e.perRound().stream().limit(MAX_ROUNDS_SHOWN).toList());
        }
    }

    /** A guest throttled step by step may take hundreds of rounds; the first ones say how it goes. */
    static final int MAX_ROUNDS_SHOWN = 100;

    record PolicyView(long maxDowntimeMs, int bandwidthMbps, int maxRounds, boolean autoConverge) {}
}
