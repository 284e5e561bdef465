package dev.ddbreplicator.core.write;

import dev.ddbreplicator.core.model.ItemKey;
import dev.ddbreplicator.core.retry.PoisonException;
import java.util.ArrayList;
import java.util.HashMap;
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
 *   <li>Puts of several absent items (a batch's inserts, {@link #putAllNew}): the same check and
 *       put for each key, up to {@value #NEW_ITEMS_PER_TRANSACTION} keys in one transaction.</li>
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

    /** Keys per transaction of {@link #putAllNew}: two actions each, within DynamoDB's 100 per transaction. */
    public static final int NEW_ITEMS_PER_TRANSACTION = 25;

    private static final String CONDITION_FAILED = "ConditionalCheckFailed";
    /** Under DynamoDB's 4 MB per transaction, with room for keys, names and the tombstone checks. */
    private static final long TRANSACTION_BYTES = 3_000_000;
    /** Transactions of a group that keep settling some keys as stale before the rest go one by one. */
    private static final int MAX_ROUNDS = 3;

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
        TransactWriteItem put = guardedPut(item, version);
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

    private TransactWriteItem guardedPut(Map<String, AttributeValue> item, ReplicaVersion version) {
        return TransactWriteItem.builder().put(p -> p.tableName(table).item(item)
                .conditionExpression(NEWER_WINS)
                .expressionAttributeNames(Map.of("#v", versionAttribute))
                .expressionAttributeValues(Map.of(":v", AttributeValue.fromS(version.value())))).build();
    }

    @Override
    public int newItemsPerCall() {
        return NEW_ITEMS_PER_TRANSACTION;
    }

    /**
     * Puts absent items several to a transaction: the same tombstone check and {@link #NEWER_WINS}
     * put as {@link #put} makes for one, so each key gets the outcome it would get alone. One
     * transaction instead of one per key matters most on DynamoDB Local, which runs transactions
     * one at a time, and saves requests on DynamoDB. A transaction cancelled by failed conditions
     * settles those keys as STALE and is sent again without them; any other failure (throttling,
     * a conflict, an invalid item) leaves the keys unsettled, and the writer puts them one by one,
     * with its retries and its poison rules. When nothing could be settled, the error is thrown.
     */
    @Override
    public Map<ItemKey, WriteStatus> putAllNew(List<NewItem> items) {
        Map<ItemKey, WriteStatus> settled = new HashMap<>();
        RuntimeException failure = null;
        List<NewItem> chunk = new ArrayList<>();
        long chunkBytes = 0;
        for (int i = 0; i <= items.size(); i++) {
            long bytes = i < items.size() ? ItemSize.of(items.get(i).item()) : 0;
            boolean full = chunk.size() == NEW_ITEMS_PER_TRANSACTION || chunkBytes + bytes > TRANSACTION_BYTES;
            if (!chunk.isEmpty() && (i == items.size() || full)) {
                RuntimeException error = putInOneTransaction(chunk, settled);
                failure = failure == null ? error : failure;
                chunk = new ArrayList<>();
                chunkBytes = 0;
            }
            if (i < items.size()) {
                chunk.add(items.get(i));
                chunkBytes += bytes;
            }
        }
        if (settled.isEmpty() && failure != null) {
            throw failure;
        }
        return settled;
    }

    /** Settles what one transaction (and its resends without stale keys) can; returns the error that left keys unsettled, if any. */
    private RuntimeException putInOneTransaction(List<NewItem> items, Map<ItemKey, WriteStatus> settled) {
        List<NewItem> remaining = items;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            List<TransactWriteItem> actions = new ArrayList<>(remaining.size() * 2);
            for (NewItem item : remaining) {
                actions.add(tombstones.olderOrNoDeleteCheck(item.key(), item.version()));
                actions.add(guardedPut(item.item(), item.version()));
            }
            try {
                client.transactWriteItems(b -> b.transactItems(actions));
                remaining.forEach(item -> settled.put(item.key(), WriteStatus.APPLIED));
                return null;
            } catch (TransactionCanceledException cancelled) {
                List<CancellationReason> reasons = cancelled.cancellationReasons();
                if (reasons == null || reasons.size() != actions.size()) {
                    return cancelled;
                }
                List<NewItem> next = new ArrayList<>();
                for (int i = 0; i < remaining.size(); i++) {
                    if (CONDITION_FAILED.equals(reasons.get(2 * i).code()) || CONDITION_FAILED.equals(reasons.get(2 * i + 1).code())) {
                        settled.put(remaining.get(i).key(), WriteStatus.STALE);
                    } else {
                        next.add(remaining.get(i));
                    }
                }
                if (next.isEmpty()) {
                    return null;
                }
                if (next.size() == remaining.size()) {
                    // Cancelled for another reason (throttling, a conflict, an invalid item).
                    return cancelled;
                }
                remaining = next;
            } catch (RuntimeException e) {
                return e;
            }
        }
        return null;
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
