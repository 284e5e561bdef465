package dev.ddbreplicator.core.pair;

import java.util.Locale;

/** What to do when the source table's TTL removes an item. */
public enum TtlDeletePolicy {
    /** Remove it from the replica too (the default: the replica mirrors the source). */
    REPLICATE,
    /** Keep it in the replica: an archive that outlives the source's TTL. */
    SKIP;

    /** Parses {@code replicate} or {@code skip}, in any case. */
    public static TtlDeletePolicy parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("TTL delete policy must be replicate or skip, got: " + text);
        }
    }
}
