package io.ferry.orchestrator.placement;

/** Whether a host takes VMs: a drained host takes none until it is returned to ACTIVE. */
public enum HostMode {
    ACTIVE,
    /** Its VMs are being moved off; nothing new is placed on it. */
    DRAINING,
    /** Drained and empty; nothing is placed on it until {@code ferry undrain}. */
    MAINTENANCE
}
