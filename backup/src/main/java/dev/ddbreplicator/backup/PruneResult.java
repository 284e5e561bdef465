package dev.ddbreplicator.backup;

import java.util.List;

/**
 * What {@code backup prune} did (or, with {@code --dry-run}, would do).
 *
 * @param deleted the exports deleted (or to delete)
 * @param kept the exports kept
 * @param objectsDeleted S3 objects deleted (0 on a dry run)
 */
public record PruneResult(List<BackupEntry> deleted, List<BackupEntry> kept, long objectsDeleted, boolean dryRun) {

    public PruneResult {
        deleted = List.copyOf(deleted);
        kept = List.copyOf(kept);
    }
}
