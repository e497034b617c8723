package io.ferry.orchestrator;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Cluster-wide settings of the orchestrator (per-migration settings travel in each request's policy).
 *
 * @param hostLivenessTimeout a host that sent no heartbeat for this long fails the migrations it takes part in
 * @param maxOutboundPerHost migrations leaving one host at once (Hyper-V's default: 2); more wait in QUEUED
 * @param maxConcurrent migrations in the whole cluster at once (KubeVirt's default: 5); more wait in QUEUED
 * @param watchdogInterval how often timeouts and liveness are checked
 */
@ConfigurationProperties("ferry.orchestrator")
public record OrchestratorProperties(
        @DefaultValue("15s") Duration hostLivenessTimeout,
        @DefaultValue("2") int maxOutboundPerHost,
        @DefaultValue("5") int maxConcurrent,
        @DefaultValue("1s") Duration watchdogInterval) {
    public OrchestratorProperties {
        if (maxOutboundPerHost < 1 || maxConcurrent < 1) {
            throw new IllegalArgumentException("ferry.orchestrator.max-outbound-per-host and max-concurrent must be at "
                    + "least 1, got " + maxOutboundPerHost + " and " + maxConcurrent);
        }
        if (hostLivenessTimeout.isNegative() || hostLivenessTimeout.isZero()) {
            throw new IllegalArgumentException("ferry.orchestrator.host-liveness-timeout must be positive, got "
                    + hostLivenessTimeout);
        }
    }
}
