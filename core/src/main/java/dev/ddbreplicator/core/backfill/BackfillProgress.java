package dev.ddbreplicator.core.backfill;

/** A running backfill's counts so far, for progress output. */
public record BackfillProgress(long scanned, long written, long skipped, long failed) {
}
