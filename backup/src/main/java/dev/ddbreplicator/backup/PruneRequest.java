package dev.ddbreplicator.backup;

import java.time.Duration;
import java.util.Optional;

/**
 * {@code backup prune --bucket B [--prefix P] [--table T] (--keep N | --older-than 30d) [--dry-run]}.
 *
 * @param retention which finished exports of each table to keep
 * @param dryRun report what would be deleted, delete nothing
 * @param incompleteAfter incomplete exports (runs that died) started longer ago than this are deleted too; a
 *                        running export is never that old
 */
public record PruneRequest(String bucket, String prefix, Optional<String> table, Retention retention, boolean dryRun,
                           Duration incompleteAfter) {

    public static final Duration DEFAULT_INCOMPLETE_AFTER = Duration.ofDays(2);

    public PruneRequest {
        Options.bucket("--bucket", bucket);
        prefix = Options.prefix("--prefix", prefix);
        table.ifPresent(t -> Options.table("--table", t));
        if (retention == null) {
            throw new BackupUsageException("--keep", "backup prune needs --keep N or --older-than AGE");
        }
        if (incompleteAfter == null || incompleteAfter.compareTo(Duration.ofHours(1)) < 0) {
            throw BackupUsageException.of("--incomplete-after", "must be at least 1h");
        }
    }

    public static PruneRequest of(String bucket, Retention retention) {
        return new PruneRequest(bucket, "", Optional.empty(), retention, false, DEFAULT_INCOMPLETE_AFTER);
    }
}
