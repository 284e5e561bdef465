package dev.ddbreplicator.backup;

import java.time.Duration;

/**
 * A finished restore.
 *
 * @param itemsWritten items written by this run
 * @param itemsAlreadyPresent items a resumed run found already written (read back and equal) and did not write again
 * @param itemsFromEarlierRuns items an earlier, interrupted run had recorded as written (finished files, and the saved
 *                             count of files it had started)
 * @param dataFiles data files in the export
 * @param tableCreated whether the restore created the target table (in this run or the one it resumed)
 * @param resumed whether this run resumed an interrupted one
 * @param retries calls retried (throttling, 5xx, unprocessed items)
 */
public record RestoreResult(String targetTable, String exportId, long itemsWritten, long itemsAlreadyPresent, long itemsFromEarlierRuns,
                            int dataFiles, boolean tableCreated, boolean resumed, long retries, Duration duration) {

    /** e.g. {@code restored 01700000000000-1a2b3c4d into orders-restored: 100000 items written in 42s (created the table)}. */
    public String describe() {
        StringBuilder line = new StringBuilder("restored ").append(exportId).append(" into ").append(targetTable).append(": ")
                .append(itemsWritten).append(" items written in ").append(duration.toSeconds()).append('s');
        if (resumed) {
            line.append(", resumed (").append(itemsFromEarlierRuns + itemsAlreadyPresent).append(" items were already in)");
        }
        if (tableCreated) {
            line.append(" (created the table)");
        }
        return line.toString();
    }
}
