package dev.ddbreplicator.backup;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One export found in a bucket, as {@code backup list} shows it.
 *
 * @param status COMPLETE when its {@code manifest-summary.json} is there (native exports included)
 * @param tableName the exported table, from the manifest (or our table description for incomplete ones)
 * @param tableArn the exported table's ARN, when the manifest names it
 * @param directory the export's key prefix, {@code <prefix>/AWSDynamoDB/<exportId>/}
 * @param startTime when the export started (from the manifest, or from the ID)
 * @param endTime when it finished, for complete exports
 * @param itemCount items, for complete exports
 * @param bytes the manifest's {@code billedSizeBytes}: uncompressed DynamoDB JSON for ours
 */
public record BackupEntry(String exportId, Status status, Optional<String> tableName, Optional<String> tableArn, String bucket,
                          String directory, Instant startTime, Optional<Instant> endTime, OptionalLong itemCount, long bytes) {

    /** Whether an export can be restored. */
    public enum Status {
        /** Finished: the summary manifest is there. */
        COMPLETE,
        /** Started and never finished (a run that died or is still running): no summary manifest. Never restored. */
        INCOMPLETE,
        /** A summary manifest is there but cannot be read. Listed, never pruned. */
        UNREADABLE
    }

    /** One line for listings: ID, status, table, start time, items. */
    public String describe() {
        return String.format("%s  %-10s  %-30s  %s  %s", exportId, status, tableName.orElse("?"), startTime,
                itemCount.isPresent() ? itemCount.getAsLong() + " items" : "-");
    }
}
