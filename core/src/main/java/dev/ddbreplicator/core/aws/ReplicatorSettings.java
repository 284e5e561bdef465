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
 * @param statusInterval how often each process adds its counts to the pair's status
 */
public record ReplicatorSettings(int concurrency, String tombstoneTable, Duration tombstoneRetention, Duration statusInterval) {

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
        if (statusInterval.isNegative()) {
            throw new IllegalArgumentException("status interval must not be negative, got: " + statusInterval);
        }
    }

    public static ReplicatorSettings defaults() {
        return new ReplicatorSettings(WriterSettings.DEFAULT_CONCURRENCY, TombstoneTable.DEFAULT_NAME, TombstoneTable.DEFAULT_RETENTION,
                Duration.ofSeconds(10));
    }

    public ReplicatorSettings withConcurrency(int newConcurrency) {
        return new ReplicatorSettings(newConcurrency, tombstoneTable, tombstoneRetention, statusInterval);
    }

    public ReplicatorSettings withStatusInterval(Duration interval) {
        return new ReplicatorSettings(concurrency, tombstoneTable, tombstoneRetention, interval);
    }
}
