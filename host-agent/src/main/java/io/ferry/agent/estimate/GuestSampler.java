package io.ferry.agent.estimate;

import io.ferry.hypervisor.Hypervisor;
import io.ferry.hypervisor.Hypervisor.VmState;
import io.ferry.hypervisor.estimate.GuestSample;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Keeps a recent sample of every running guest (dirty curve, used and zero pages), taken over a short window without
 * migrating it and refreshed every {@code ferry.agent.sample-interval}; the heartbeat carries it, so the orchestrator
 * can estimate a migration at once, on whichever instance is asked, with no request to the agent. On a thread of its
 * own: a window blocks (QEMU's takes three seconds), and heartbeats must not wait for it.
 */
@Component
public class GuestSampler implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(GuestSampler.class);
    private final Hypervisor hypervisor;
    private final Duration interval;
    private final Duration window;
    private final Map<String, GuestSample> latest = new ConcurrentHashMap<>();
    private ScheduledExecutorService executor;

    public GuestSampler(Hypervisor hypervisor, @Value("${ferry.agent.sample-interval:15s}") Duration interval,
            @Value("${ferry.agent.sample-window:1s}") Duration window) {
        this.hypervisor = hypervisor;
        this.interval = interval;
        this.window = window;
    }

    /** The guest's latest sample; empty until one was taken, or once it no longer runs here. */
    public Optional<GuestSample> latest(String vmId) {
        return Optional.ofNullable(latest.get(vmId));
    }

    /** Samples every running guest once, now. */
    public void sampleAll() {
        Set<String> running = hypervisor.vms().stream().filter(vm -> vm.state() == VmState.RUNNING)
                .map(vm -> vm.spec().vmId()).collect(Collectors.toSet());
        latest.keySet().retainAll(running);
        for (String vmId : running) {
            try {
                // none now (it is migrating out): the last one stays, the guest has not changed
                hypervisor.sample(vmId, window).ifPresent(s -> latest.put(vmId, s));
            } catch (RuntimeException e) {
                log.debug("no sample of {}: {}", vmId, e.toString());
            }
        }
    }

    @Override
    public void start() {
        executor = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("guest-sampler")
                .unstarted(r));
        executor.scheduleWithFixedDelay(this::sampleAll, 1_000, Math.max(1_000, interval.toMillis()), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }

    @Override
    public boolean isRunning() {
        return executor != null;
    }
}
