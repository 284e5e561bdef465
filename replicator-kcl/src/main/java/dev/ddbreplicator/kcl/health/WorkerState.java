package dev.ddbreplicator.kcl.health;

/** Where the worker is in its life. */
public enum WorkerState {
    /** KCL is initializing: creating or reading its lease tables. */
    STARTING,
    /** The scheduler runs and takes leases. */
    RUNNING,
    /** A stop was requested: batches in flight finish and checkpoint. */
    STOPPING,
    /** Stopped on request. */
    STOPPED,
    /** KCL gave up initializing, or the scheduler ended on its own. */
    FAILED
}
