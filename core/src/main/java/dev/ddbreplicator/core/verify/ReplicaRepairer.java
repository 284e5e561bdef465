package dev.ddbreplicator.core.verify;

import dev.ddbreplicator.core.model.ItemKey;
import dev.ddbreplicator.core.retry.PoisonException;
import dev.ddbreplicator.core.retry.Retrier;
import dev.ddbreplicator.core.write.ReplicaItems;
import dev.ddbreplicator.core.write.ReplicaStore;
import dev.ddbreplicator.core.write.ReplicaVersion;
import dev.ddbreplicator.core.write.WriteStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Rewrites the items a verify found different, from the source, without ever overwriting a
 * newer replicated change.
 *
 * <p>Which version a repair carries: the source's sequence number for its current item is not
 * known (a table read does not say it), so a repair never claims to be newer than anything. It
 * keeps the version the replica item already has, and is conditional on that version being
 * still there ({@link #SAME_VERSION}). A stream change applied meanwhile moved the version, so
 * the repair is refused; a stream change arriving later is newer than the kept version, so it
 * still wins. A missing item is written like a backfilled one ({@link ReplicaVersion#BACKFILL}
 * through the replica store): refused if the replicator wrote it meanwhile or a delete of it is
 * on record. An extra item is deleted on the same condition as a different one is rewritten.
 */
public final class ReplicaRepairer {

    /** The replica item still holds the version the repair read. */
    public static final String SAME_VERSION = "#v = :v";
    /** The replica item exists and has no version attribute (written by something else). */
    public static final String EXISTS_WITHOUT_VERSION = "attribute_exists(#k) AND attribute_not_exists(#v)";

    private static final int EXAMPLES = 10;

    private final DynamoDbClient source;
    private final String sourceTable;
    private final DynamoDbClient replica;
    private final String replicaTable;
    private final String versionAttribute;
    private final ReplicaStore store;
    private final Retrier retrier;

    public ReplicaRepairer(DynamoDbClient source, String sourceTable, DynamoDbClient replica, String replicaTable, String versionAttribute,
                           ReplicaStore store, Retrier retrier) {
        this.source = source;
        this.sourceTable = sourceTable;
        this.replica = replica;
        this.replicaTable = replicaTable;
        this.versionAttribute = versionAttribute;
        this.store = store;
        this.retrier = retrier;
    }

    public RepairResult repair(VerifyReport report) {
        long repaired = 0;
        long settled = 0;
        long refused = 0;
        List<ItemKey> refusedExamples = new ArrayList<>();
        List<ItemKey> keys = new ArrayList<>(report.missingKeys());
        keys.addAll(report.differentKeys());
        keys.addAll(report.extraKeys());
        for (ItemKey key : keys) {
            Outcome outcome;
            try {
                outcome = repairOne(key);
            } catch (PoisonException cannotHold) {
                outcome = Outcome.REFUSED;
            }
            switch (outcome) {
                case REPAIRED -> repaired++;
                case SETTLED -> settled++;
                case REFUSED -> {
                    refused++;
                    if (refusedExamples.size() < EXAMPLES) {
                        refusedExamples.add(key);
                    }
                }
                default -> throw new IllegalStateException("unexpected " + outcome);
            }
        }
        return new RepairResult(repaired, settled, refused, refusedExamples);
    }

    private enum Outcome { REPAIRED, SETTLED, REFUSED }

    private Outcome repairOne(ItemKey key) {
        Map<String, AttributeValue> wanted = read(source, sourceTable, key);
        Map<String, AttributeValue> current = read(replica, replicaTable, key);
        // As in the verify: the version is ignored on the replica only, so a source item carrying one never looks settled.
        if (wanted.isEmpty() && current.isEmpty()
                || !wanted.isEmpty() && !current.isEmpty() && ItemDigest.of(wanted, Set.of()).equals(ItemDigest.of(current, Set.of(versionAttribute)))) {
            return Outcome.SETTLED;
        }
        if (current.isEmpty()) {
            Map<String, AttributeValue> copy = ReplicaItems.of(wanted, versionAttribute, ReplicaVersion.BACKFILL);
            WriteStatus status = retrier.callUnchecked(() -> store.put(key, copy, ReplicaVersion.BACKFILL, true), Retrier.Listener.NONE);
            return status == WriteStatus.APPLIED ? Outcome.REPAIRED : Outcome.REFUSED;
        }
        AttributeValue version = current.get(versionAttribute);
        Map<String, String> names = new HashMap<>(Map.of("#v", versionAttribute));
        Map<String, AttributeValue> values = new HashMap<>();
        String condition;
        if (version != null) {
            condition = SAME_VERSION;
            values.put(":v", version);
        } else {
            condition = EXISTS_WITHOUT_VERSION;
            names.put("#k", key.attributes().keySet().iterator().next());
        }
        Map<String, AttributeValue> conditionValues = values.isEmpty() ? null : values;
        // A failed condition is an answer, not a fault: it is caught inside, so it is never retried.
        boolean written = retrier.callUnchecked(() -> {
            try {
                if (wanted.isEmpty()) {
                    replica.deleteItem(b -> b.tableName(replicaTable).key(key.attributes())
                            .conditionExpression(condition).expressionAttributeNames(names)
                            .expressionAttributeValues(conditionValues));
                } else {
                    Map<String, AttributeValue> item = ReplicaItems.of(wanted, versionAttribute,
                            version != null ? version : AttributeValue.fromS(ReplicaVersion.BACKFILL.value()));
                    replica.putItem(b -> b.tableName(replicaTable).item(item)
                            .conditionExpression(condition).expressionAttributeNames(names)
                            .expressionAttributeValues(conditionValues));
                }
                return true;
            } catch (ConditionalCheckFailedException changedMeanwhile) {
                return false;
            }
        }, Retrier.Listener.NONE);
        return written ? Outcome.REPAIRED : Outcome.REFUSED;
    }

    private Map<String, AttributeValue> read(DynamoDbClient client, String table, ItemKey key) {
        Map<String, AttributeValue> item = retrier.callUnchecked(() -> client.getItem(b -> b.tableName(table)
                .key(key.attributes()).consistentRead(true)).item(), Retrier.Listener.NONE);
        return item == null ? Map.of() : item;
    }
}
