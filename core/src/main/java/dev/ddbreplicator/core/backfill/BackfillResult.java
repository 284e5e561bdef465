package dev.ddbreplicator.core.backfill;

import dev.ddbreplicator.core.model.ItemKey;
import java.time.Duration;
import java.util.List;

/**
 * What a backfill did.
 *
 * @param scanned items read from the source
 * @param written items copied into the replica
 * @param skipped items the replica already had (a stream change came first) or whose delete is on record
 * @param failed items that can never be written as they are (too large once the version is added)
 * @param failedExamples a few of the failed items' keys
 */
public record BackfillResult(long scanned, long written, long skipped, long failed, List<ItemKey> failedExamples, Duration took) {

    public BackfillResult {
        failedExamples = List.copyOf(failedExamples);
    }

    public boolean isComplete() {
        return failed == 0;
    }
}
