package dev.ddbreplicator.core.aws;

import dev.ddbreplicator.core.write.TombstoneTable;
import dev.ddbreplicator.core.write.WriterSettings;
import java.time.Duration;

/**
 * Settings shared by every pair a process replicates.
 *
 * @param concurrency keys written at once per pair
 * @param tombstoneTable name of the tombstone table in each replica region
 * @param tombstoneRetention how long a delete is remembered; must outlast the stream's 24 hours
 */
public record ReplicatorSettings(int concurrency, String tombstoneTable, Duration tombstoneRetention) {

    public ReplicatorSettings {
        if (concurrency < 1 || concurrency > 1024) {
            throw new IllegalArgumentException("writer concurrency must be 1 to 1024, got: " + concurrency);
        }
        if (tombstoneTable == null || tombstoneTable.isBlank()) {
            throw new IllegalArgumentException("tombstone table name is empty");
        }
        if (tombstoneRetention.compareTo(Duration.ofHours(25)) < 0) {
            throw new IllegalArgumentException("tombstone retention must be at least 25h (the stream keeps 24h), got: " + tombstoneRetention);
        }
    }

    public static ReplicatorSettings defaults() {
        return new ReplicatorSettings(WriterSettings.DEFAULT_CONCURRENCY, TombstoneTable.DEFAULT_NAME, TombstoneTable.DEFAULT_RETENTION);
    }

    public ReplicatorSettings withConcurrency(int newConcurrency) {
        return new ReplicatorSettings(newConcurrency, tombstoneTable, tombstoneRetention);
    }
}
