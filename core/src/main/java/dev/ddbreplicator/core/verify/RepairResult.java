package dev.ddbreplicator.core.verify;

import dev.ddbreplicator.core.model.ItemKey;
import java.util.List;

/**
 * What a repair did.
 *
 * @param repaired differences rewritten from the source
 * @param settled differences that were gone when the repair read the item again
 * @param refused differences left alone because the replica changed meanwhile or a delete of the
 *                item is on record (the replicator is handling them), or because the replica
 *                cannot hold the source item (over 400 KB with the version, or it has an
 *                attribute of the version's name)
 */
public record RepairResult(long repaired, long settled, long refused, List<ItemKey> refusedExamples) {

    public RepairResult {
        refusedExamples = List.copyOf(refusedExamples);
    }
}
