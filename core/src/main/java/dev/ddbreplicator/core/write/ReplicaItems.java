package dev.ddbreplicator.core.write;

import dev.ddbreplicator.core.retry.PoisonException;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The replica's copy of a source item: the item with the pair's version attribute added. The one
 * place that says which source items a replica cannot hold, for the replicators, backfill and repair.
 */
public final class ReplicaItems {

    private ReplicaItems() {
    }

    /**
     * @throws PoisonException when the source item already has an attribute of the version's name
     *                         (the replica would overwrite it, and verify, which ignores that
     *                         attribute, could not see the loss), or when the copy is over 400 KB
     */
    public static Map<String, AttributeValue> of(Map<String, AttributeValue> source, String versionAttribute, AttributeValue version) {
        if (source.containsKey(versionAttribute)) {
            throw new PoisonException("the source item has an attribute named '" + versionAttribute
                    + "', the pair's version attribute, which the replica would overwrite; register the pair with another "
                    + "--version-attribute");
        }
        Map<String, AttributeValue> item = new HashMap<>(source);
        item.put(versionAttribute, version);
        long size = ItemSize.of(item);
        if (size > ItemSize.MAX_ITEM_BYTES) {
            throw new PoisonException("item is " + size + " bytes with " + versionAttribute
                    + " added, over DynamoDB's " + ItemSize.MAX_ITEM_BYTES + "-byte limit");
        }
        return item;
    }

    public static Map<String, AttributeValue> of(Map<String, AttributeValue> source, String versionAttribute, ReplicaVersion version) {
        return of(source, versionAttribute, AttributeValue.fromS(version.value()));
    }
}
