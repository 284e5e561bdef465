package dev.ddbreplicator.core.write;

import dev.ddbreplicator.core.pair.TtlDeletePolicy;

/**
 * How a {@link ReplicaWriter} writes.
 *
 * @param versionAttribute the replica attribute that holds the version
 * @param ttlDeletes what to do with TTL deletes
 * @param concurrency how many keys are written at once
 */
public record WriterSettings(String versionAttribute, TtlDeletePolicy ttlDeletes, int concurrency) {

    public static final String DEFAULT_VERSION_ATTRIBUTE = "_rv";
    public static final int DEFAULT_CONCURRENCY = 32;

    public WriterSettings {
        if (versionAttribute == null || versionAttribute.isBlank() || versionAttribute.length() > 255) {
            throw new IllegalArgumentException("version attribute must be 1 to 255 characters, got: " + versionAttribute);
        }
        if (ttlDeletes == null) {
            throw new IllegalArgumentException("TTL delete policy is required");
        }
        if (concurrency < 1 || concurrency > 1024) {
            throw new IllegalArgumentException("writer concurrency must be 1 to 1024, got: " + concurrency);
        }
    }

    public static WriterSettings defaults() {
        return new WriterSettings(DEFAULT_VERSION_ATTRIBUTE, TtlDeletePolicy.REPLICATE, DEFAULT_CONCURRENCY);
    }

    public WriterSettings withConcurrency(int newConcurrency) {
        return new WriterSettings(versionAttribute, ttlDeletes, newConcurrency);
    }
}
