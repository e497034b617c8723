package io.ferry.orchestrator.drain;

import io.ferry.orchestrator.api.ApiEndpoint;
import io.ferry.orchestrator.core.Ids.DrainId;
import io.ferry.orchestrator.decision.Recorded;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** REST: drain a host (or see the plan first), follow it, stop it, and return the host. */
@ApiEndpoint
class DrainController {
    private final DrainService service;
    private final DrainViews views;
    private final Drains drains;
    private final DrainInputJournal inputs;

    DrainController(DrainService service, DrainViews views, Drains drains, DrainInputJournal inputs) {
        this.service = service;
        this.views = views;
        this.drains = drains;
        this.inputs = inputs;
    }

    /** The dry run: what a drain would do now, changing nothing. */
    @GetMapping("/hosts/{host}/drain-plan")
    DrainPlanner.Plan plan(@PathVariable String host, @RequestParam(defaultValue = "LARGEST_FIRST") String order,
            @RequestParam(required = false) Integer bandwidthMbps) {
        return service.plan(host, order(order), bandwidth(bandwidthMbps));
    }

    @PostMapping("/hosts/{host}/drain")
    ResponseEntity<DrainView> drain(@PathVariable String host,
            @RequestParam(defaultValue = "LARGEST_FIRST") String order,
            @RequestParam(required = false) Integer bandwidthMbps, Principal user) {
        DrainId id = service.start(host, order(order), bandwidth(bandwidthMbps), user.getName());
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(views.of(id));
    }

    /** Stops the host's drain: queued moves are dropped; running ones finish, or are cancelled before stage 3. */
    @PostMapping("/hosts/{host}/drain/cancel")
    ResponseEntity<DrainView> cancel(@PathVariable String host,
            @RequestParam(defaultValue = "false") boolean cancelRunning, Principal user) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(views.of(service.cancel(host, cancelRunning,
                user.getName())));
    }

    @PostMapping("/hosts/{host}/undrain")
    DrainView undrain(@PathVariable String host, Principal user) {
        return views.of(service.undrain(host, user.getName()));
    }

    /** The host's newest drain. */
    @GetMapping("/hosts/{host}/drain")
    DrainView latest(@PathVariable String host) {
        return views.of(service.latest(host));
    }

    @GetMapping("/drains/{id}")
    DrainView one(@PathVariable String id) {
        return views.of(DrainId.parse(id));
    }

    /** The drain's events, oldest first, as recorded: its audit trail. */
    @GetMapping("/drains/{id}/history")
    List<Map<String, Object>> history(@PathVariable String id) {
        List<Recorded<DrainEvent>> events = drains.history(DrainId.parse(id));
        if (events.isEmpty()) {
            throw new io.ferry.orchestrator.api.NotFound("no drain " + id);
        }
        return events.stream().map(r -> Map.<String, Object>of("version", r.version(), "type", r.type(),
                "recordedAt", r.recordedAt().toString(), "actor", r.actor(), "payload", r.event())).toList();
    }

    /** Re-folds the drain's events and re-decides its recorded inputs with today's code, naming any difference. */
    @GetMapping("/drains/{id}/replay")
    DrainReplayer.Report replay(@PathVariable String id, @RequestParam(required = false) Integer until) {
        DrainId drain = DrainId.parse(id);
        List<Recorded<DrainEvent>> events = drains.history(drain);
        if (events.isEmpty()) {
            throw new io.ferry.orchestrator.api.NotFound("no drain " + id);
        }
        return DrainReplayer.replay(events, inputs.inputs(drain.value()), until, new Drain());
    }

    /** Each move's link cap: null or 0 for none, as a migration request's bandwidthMbps. */
    private static Integer bandwidth(Integer mbps) {
        if (mbps != null && mbps < 0) {
            throw new IllegalArgumentException("bandwidthMbps must be 0 (uncapped) or positive, got " + mbps);
        }
        return mbps == null || mbps == 0 ? null : mbps;
    }

    private static DrainPlanner.Order order(String order) {
        try {
            return DrainPlanner.Order.valueOf(order.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("order '" + order + "' is unknown; use one of "
                    + java.util.Arrays.toString(DrainPlanner.Order.values()));
        }
    }
}
