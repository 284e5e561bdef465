package dev.ddbreplicator.core.write;

import dev.ddbreplicator.core.model.ItemKey;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * The replica table in DynamoDB, written only by version. This is where the write protocol
 * lives:
 *
 * <ul>
 *   <li>Put: {@code PutItem} conditional on {@link #NEWER_WINS}. A failed condition is STALE.
 *       If no item was there before, the key may have been deleted at a newer version than
 *       ours, so the tombstone is read; if it is newer, our write is undone with a delete
 *       conditional on our own version ({@link #STILL_OURS}) and the put is STALE. The same
 *       check runs when the condition fails on our own version: an earlier attempt landed but
 *       its answer was lost.</li>
 *   <li>Delete: the tombstone is recorded first, then {@code DeleteItem} conditional on
 *       {@link #NEWER_WINS}. Tombstone first matters: a put that lands between the two steps
 *       either is removed by our delete or finds the tombstone on its own check.</li>
 * </ul>
 *
 * With at most two writers on a key at once (a replay, a cutover, a lease handed over) this
 * never leaves an older version in place of a newer one or of a delete.
 */
public final class DynamoDbReplicaStore implements ReplicaStore {

    /** The version condition of every replica write. */
    public static final String NEWER_WINS = "attribute_not_exists(#v) OR #v < :v";
    /** Undo only our own write, never a newer one that landed meanwhile. */
    public static final String STILL_OURS = "#v = :v";

    private final DynamoDbClient client;
    private final String table;
    private final String versionAttribute;
    private final TombstoneTable tombstones;

    public DynamoDbReplicaStore(DynamoDbClient client, String table, String versionAttribute, TombstoneTable tombstones) {
        this.client = client;
        this.table = table;
        this.versionAttribute = versionAttribute;
        this.tombstones = tombstones;
    }

    @Override
    public WriteStatus put(ItemKey key, Map<String, AttributeValue> item, ReplicaVersion version) {
        boolean mayResurrect;
        WriteStatus status = WriteStatus.APPLIED;
        try {
            PutItemResponse response = client.putItem(b -> b.tableName(table).item(item)
                    .conditionExpression(NEWER_WINS)
                    .expressionAttributeNames(Map.of("#v", versionAttribute))
                    .expressionAttributeValues(Map.of(":v", AttributeValue.fromS(version.value())))
                    .returnValues(ReturnValue.ALL_OLD)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            mayResurrect = response.attributes() == null || response.attributes().isEmpty();
        } catch (ConditionalCheckFailedException refused) {
            if (!version.value().equals(versionOf(refused.item()))) {
                return WriteStatus.STALE;
            }
            // This version is there already: a duplicate, or our own earlier attempt whose answer
            // was lost, which may have landed on a deleted key and must pass the check below.
            status = WriteStatus.STALE;
            mayResurrect = true;
        }
        if (mayResurrect) {
            Optional<ReplicaVersion> deletedAt = tombstones.version(key);
            if (deletedAt.isPresent() && deletedAt.get().isNewerThan(version)) {
                undo(key, version);
                return WriteStatus.STALE;
            }
        }
        return status;
    }

    private String versionOf(Map<String, AttributeValue> item) {
        AttributeValue value = item == null ? null : item.get(versionAttribute);
        return value == null ? null : value.s();
    }

    @Override
    public WriteStatus delete(ItemKey key, ReplicaVersion version) {
        tombstones.record(key, version);
        try {
            client.deleteItem(b -> b.tableName(table).key(key.attributes())
                    .conditionExpression(NEWER_WINS)
                    .expressionAttributeNames(Map.of("#v", versionAttribute))
                    .expressionAttributeValues(Map.of(":v", AttributeValue.fromS(version.value()))));
            return WriteStatus.APPLIED;
        } catch (ConditionalCheckFailedException newerInReplica) {
            return WriteStatus.STALE;
        }
    }

    private void undo(ItemKey key, ReplicaVersion version) {
        try {
            client.deleteItem(b -> b.tableName(table).key(key.attributes())
                    .conditionExpression(STILL_OURS)
                    .expressionAttributeNames(Map.of("#v", versionAttribute))
                    .expressionAttributeValues(Map.of(":v", AttributeValue.fromS(version.value()))));
        } catch (ConditionalCheckFailedException newerLandedMeanwhile) {
            // A newer write replaced ours already; it is what should stay.
        }
    }
}
