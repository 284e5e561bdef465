package dev.ddbreplicator.core.write;

import dev.ddbreplicator.core.model.ItemKey;
import java.util.List;
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

    /** One put of an item that is probably absent, for {@link #putAllNew(List)}. */
    record NewItem(ItemKey key, Map<String, AttributeValue> item, ReplicaVersion version) {
    }

    /**
     * Writes several items that are probably absent (inserts), each under exactly the rules of
     * {@link #put put(key, item, version, true)}, in as few calls as the store can, and says what
     * became of each key it could settle. A key missing from the answer was not written and must
     * be put on its own: that is how a failed call (throttling, a conflict, an invalid item) is
     * handed back. When nothing at all could be settled, the call's error is thrown instead, so
     * the caller can count the retry. Keys are distinct. The default settles nothing.
     */
    default Map<ItemKey, WriteStatus> putAllNew(List<NewItem> items) {
        return Map.of();
    }

    /** The most items {@link #putAllNew(List)} takes in one call; 1 means it is not worth calling. */
    default int newItemsPerCall() {
        return 1;
    }
}
