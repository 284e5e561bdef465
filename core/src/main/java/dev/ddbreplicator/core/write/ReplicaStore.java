package dev.ddbreplicator.core.write;

import dev.ddbreplicator.core.model.ItemKey;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One replica table, written only by version: a write lands only if the replica holds no newer
 * version of the item, and a delete is remembered so that an older put cannot bring the item
 * back. Errors are thrown as they come; {@link dev.ddbreplicator.core.retry.ErrorClassifier}
 * sorts them.
 */
public interface ReplicaStore {

    /**
     * Writes the whole item at this version unless the replica has a newer one or deleted the key
     * at a newer version.
     *
     * @param expectNew a hint that the item is probably absent (an insert), so the store can pick
     *                  the cheaper path first; the result is the same either way
     */
    WriteStatus put(ItemKey key, Map<String, AttributeValue> item, ReplicaVersion version, boolean expectNew);

    /** Deletes the item at this version unless the replica has a newer one. */
    WriteStatus delete(ItemKey key, ReplicaVersion version);
}
