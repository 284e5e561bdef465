package dev.ddbreplicator.core.write;

import dev.ddbreplicator.core.model.ItemKey;
import dev.ddbreplicator.core.retry.PoisonException;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The replica table in DynamoDB, written only by version. This file is the write protocol:
 *
 * <ul>
 *   <li>Put over an existing item: {@code PutItem} conditional on {@link #OLDER_EXISTS}. If the
 *       item is there with a newer or equal version, the put is STALE.</li>
 *   <li>Put of an item that is absent (an insert, or a modify that found nothing): one
 *       transaction that checks the key's tombstone ({@link TombstoneTable#NEWER_THAN_RECORDED})
 *       and puts the item on {@link #NEWER_WINS}. A newer delete on record, or a newer item, make
 *       it STALE. Checking in the same transaction means a deleted item is never brought back,
 *       not even for a moment.</li>
 *   <li>Delete: the tombstone is recorded first, then {@code DeleteItem} on {@link #NEWER_WINS}.
 *       Tombstone first matters: a put of an absent item after the tombstone sees it; a put
 *       before it is removed by the delete.</li>
 * </ul>
 *
 * So duplicates, replays and two writers at once (a cutover, a lease handed over) never leave an
 * older version in place of a newer one or of a delete.
 */
public final class DynamoDbReplicaStore implements ReplicaStore {

    /** The version condition of a write that may create the item. */
    public static final String NEWER_WINS = "attribute_not_exists(#v) OR #v < :v";
    /** The version condition of a write over an item that must already exist. */
    public static final String OLDER_EXISTS = "attribute_exists(#v) AND #v < :v";

    private static final String CONDITION_FAILED = "ConditionalCheckFailed";

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
    public WriteStatus put(ItemKey key, Map<String, AttributeValue> item, ReplicaVersion version, boolean expectNew) {
        if (!expectNew) {
            try {
                client.putItem(b -> b.tableName(table).item(item)
                        .conditionExpression(OLDER_EXISTS)
                        .expressionAttributeNames(Map.of("#v", versionAttribute))
                        .expressionAttributeValues(Map.of(":v", AttributeValue.fromS(version.value())))
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
                return WriteStatus.APPLIED;
            } catch (ConditionalCheckFailedException refused) {
                if (refused.item() != null && !refused.item().isEmpty()) {
                    return WriteStatus.STALE;
                }
                // Absent: fall through to the guarded put, which checks for a newer delete.
            }
        }
        return putGuarded(key, item, version);
    }

    private WriteStatus putGuarded(ItemKey key, Map<String, AttributeValue> item, ReplicaVersion version) {
        TransactWriteItem checkTombstone = tombstones.olderOrNoDeleteCheck(key, version);
        TransactWriteItem put = TransactWriteItem.builder().put(p -> p.tableName(table).item(item)
                .conditionExpression(NEWER_WINS)
                .expressionAttributeNames(Map.of("#v", versionAttribute))
                .expressionAttributeValues(Map.of(":v", AttributeValue.fromS(version.value())))).build();
        try {
            client.transactWriteItems(b -> b.transactItems(checkTombstone, put));
            return WriteStatus.APPLIED;
        } catch (TransactionCanceledException cancelled) {
            List<CancellationReason> reasons = cancelled.cancellationReasons();
            if (reasons.stream().anyMatch(r -> CONDITION_FAILED.equals(r.code()))) {
                return WriteStatus.STALE;
            }
            if (reasons.stream().anyMatch(r -> "ValidationError".equals(r.code()))) {
                throw new PoisonException(reasons.stream().map(CancellationReason::message)
                        .filter(m -> m != null && !m.isEmpty()).findFirst().orElse("validation error"), cancelled);
            }
            throw cancelled;
        }
    }

    @Override
    public WriteStatus delete(ItemKey key, ReplicaVersion version) {
        boolean firstToRecord = tombstones.record(key, version);
        try {
            Map<String, AttributeValue> old = client.deleteItem(b -> b.tableName(table).key(key.attributes())
                    .conditionExpression(NEWER_WINS)
                    .expressionAttributeNames(Map.of("#v", versionAttribute))
                    .expressionAttributeValues(Map.of(":v", AttributeValue.fromS(version.value())))
                    .returnValues(ReturnValue.ALL_OLD)).attributes();
            boolean removedAnItem = old != null && !old.isEmpty();
            // Nothing removed and the delete already on record: a duplicate, which changed nothing.
            return removedAnItem || firstToRecord ? WriteStatus.APPLIED : WriteStatus.STALE;
        } catch (ConditionalCheckFailedException newerInReplica) {
            return WriteStatus.STALE;
        }
    }
}
