package dev.ddbreplicator.core.status;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Pair status kept in the control table, one item per pair with id {@code status#<pair-id>}.
 * Counters are added to atomically, so any number of replicators (Lambda instances, KCL hosts)
 * can report into the same item.
 */
public final class StatusStore {

    public static final String ID_PREFIX = "status#";

    private final DynamoDbClient client;
    private final String table;

    public StatusStore(DynamoDbClient client, String table) {
        this.client = client;
        this.table = table;
    }

    /** Adds the deltas to the pair's counters and sets its latest position. */
    public void add(StatusDelta delta, Instant now) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":a", number(delta.applied()));
        values.put(":s", number(delta.stale()));
        values.put(":k", number(delta.skipped()));
        values.put(":p", number(delta.poison()));
        values.put(":r", number(delta.retried()));
        values.put(":now", AttributeValue.fromS(now.toString()));
        StringBuilder update = new StringBuilder("ADD applied :a, stale :s, skipped :k, poison :p, retried :r SET updatedAt = :now");
        if (delta.lastSequenceNumber() != null) {
            values.put(":seq", AttributeValue.fromS(delta.lastSequenceNumber()));
            values.put(":lag", number(delta.lagMillis()));
            update.append(", lastSequenceNumber = :seq, lagMillis = :lag");
        }
        client.updateItem(b -> b.tableName(table)
                .key(Map.of("id", AttributeValue.fromS(ID_PREFIX + delta.pairId())))
                .updateExpression(update.toString())
                .expressionAttributeValues(values));
    }

    public PairStatus read(String pairId) {
        Map<String, AttributeValue> item = client.getItem(b -> b.tableName(table)
                .key(Map.of("id", AttributeValue.fromS(ID_PREFIX + pairId))).consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return PairStatus.empty(pairId);
        }
        return new PairStatus(pairId, count(item, "applied"), count(item, "stale"), count(item, "skipped"), count(item, "poison"),
                count(item, "retried"), Optional.ofNullable(item.get("lastSequenceNumber")).map(AttributeValue::s),
                item.containsKey("lagMillis") ? count(item, "lagMillis") : -1,
                Optional.ofNullable(item.get("updatedAt")).map(v -> Instant.parse(v.s())));
    }

    /** Forgets a pair's status (when the pair is removed). */
    public void delete(String pairId) {
        client.deleteItem(b -> b.tableName(table).key(Map.of("id", AttributeValue.fromS(ID_PREFIX + pairId))));
    }

    private static AttributeValue number(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    private static long count(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.n() == null ? 0 : Long.parseLong(value.n());
    }
}
