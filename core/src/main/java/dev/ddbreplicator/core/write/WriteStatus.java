package dev.ddbreplicator.core.write;

/** What a conditional write to the replica did. */
public enum WriteStatus {
    /** The replica now holds this version. */
    APPLIED,
    /** The replica already held a newer version (or a newer delete): nothing changed. */
    STALE
}
