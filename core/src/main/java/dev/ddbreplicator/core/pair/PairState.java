package dev.ddbreplicator.core.pair;

/** Where a pair is in its life. */
public enum PairState {
    /** Existing items are being copied; the replicator already applies the stream. */
    BACKFILLING,
    /** The replica holds every item; only the stream keeps it current. */
    ACTIVE
}
