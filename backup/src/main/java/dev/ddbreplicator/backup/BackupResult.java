package dev.ddbreplicator.backup;

import java.time.Duration;
import java.time.Instant;

/**
 * A finished backup.
 *
 * @param exportId e.g. {@code 01700000000000-1a2b3c4d}: what {@code restore --export} takes
 * @param exportArn {@code <table ARN>/export/<exportId>}, as in the manifest
 * @param directory the export's key prefix, {@code <prefix>/AWSDynamoDB/<exportId>/}
 * @param itemCount items written
 * @param dataFiles data files written
 * @param compressedBytes bytes of the {@code .json.gz} objects
 * @param uncompressedBytes bytes of DynamoDB JSON before compression
 * @param segments Scan segments used
 * @param retries Scan pages and S3 calls that were retried (throttling, 5xx); none was dropped
 */
public record BackupResult(String table, String exportId, String exportArn, String bucket, String directory, long itemCount,
                           int dataFiles, long compressedBytes, long uncompressedBytes, int segments, long retries,
                           Instant startTime, Instant endTime) {

    public Duration duration() {
        return Duration.between(startTime, endTime);
    }

    /** e.g. {@code backed up orders: 100000 items in 8 files (12.3 MB) as 01700000000000-1a2b3c4d at s3://b/backups/AWSDynamoDB/...}. */
    public String describe() {
        return String.format("backed up %s: %d items in %d files (%.1f MB) in %ds as %s at s3://%s/%s", table, itemCount, dataFiles,
                compressedBytes / 1e6, duration().toSeconds(), exportId, bucket, directory);
    }
}
