package dev.ddbreplicator.kcl.config;

/** Where a shard that has no checkpoint yet starts to be read. */
public enum StartPosition {
    /** The oldest record the stream still keeps (24 hours): nothing is missed, replays are harmless. */
    TRIM_HORIZON,
    /** Only records written from now on. */
    LATEST
}
