package dev.ddbreplicator.core.pair;

import dev.ddbreplicator.core.retry.Retrier;
import dev.ddbreplicator.core.status.StatusStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The registered pairs, one item each in a control table in DynamoDB. Reads come from a
 * snapshot of the whole table kept for a short while, so replicators pick up a change within
 * that time without hammering the table; this instance's own writes refresh it at once.
 * The table is created by the first write; reading a registry that does not exist yet finds no pairs.
 * The same table holds each pair's status ({@link StatusStore}), under ids no pair can have.
 */
public final class PairRegistry {

    public static final String DEFAULT_TABLE = "ddb-replicator-pairs";
    public static final Duration DEFAULT_CACHE = Duration.ofSeconds(60);

    private static final Logger log = LoggerFactory.getLogger(PairRegistry.class);

    private final DynamoDbClient client;
    private final String table;
    private final Clock clock;
    private final Duration cacheFor;
    private final Retrier retrier;
    private List<TablePair> snapshot;
    private Instant snapshotAt = Instant.MIN;
    private boolean tableKnown;

    public PairRegistry(DynamoDbClient client, String table, Clock clock, Duration cacheFor, Retrier retrier) {
        this.client = client;
        this.table = table;
        this.clock = clock;
        this.cacheFor = cacheFor;
        this.retrier = retrier;
    }

    public String tableName() {
        return table;
    }

    /** Registers a new pair; throws {@link PairExistsException} if the id is taken. */
    public void add(TablePair pair) {
        ensureTable();
        try {
            retrier.callUnchecked(() -> client.putItem(b -> b.tableName(table).item(PairItem.toItem(pair))
                    .conditionExpression("attribute_not_exists(id)")), Retrier.Listener.NONE);
        } catch (ConditionalCheckFailedException e) {
            throw new PairExistsException(pair.id());
        }
        invalidate();
    }

    /** Replaces a registered pair (its state or settings); the pair must exist. */
    public void update(TablePair pair) {
        ensureTable();
        try {
            retrier.callUnchecked(() -> client.putItem(b -> b.tableName(table).item(PairItem.toItem(pair))
                    .conditionExpression("attribute_exists(id)")), Retrier.Listener.NONE);
        } catch (ConditionalCheckFailedException e) {
            throw new IllegalArgumentException("no pair with id " + pair.id() + " is registered");
        }
        invalidate();
    }

    /** Removes a pair; returns whether it was registered. */
    public boolean remove(String id) {
        if (!tableExists()) {
            return false;
        }
        Map<String, AttributeValue> old = retrier.callUnchecked(() -> client.deleteItem(b -> b.tableName(table)
                .key(Map.of("id", AttributeValue.fromS(id)))
                .returnValues(software.amazon.awssdk.services.dynamodb.model.ReturnValue.ALL_OLD)).attributes(), Retrier.Listener.NONE);
        invalidate();
        return old != null && !old.isEmpty();
    }

    public Optional<TablePair> get(String id) {
        return list().stream().filter(p -> p.id().equals(id)).findFirst();
    }

    /** The pairs whose source is this table in this region. */
    public List<TablePair> findBySource(String sourceTable, String sourceRegion) {
        return list().stream()
                .filter(p -> p.sourceTable().equals(sourceTable) && p.sourceRegion().equals(sourceRegion))
                .toList();
    }

    /** The pairs whose source table has this name, in any region (a stream event names only the table). */
    public List<TablePair> findBySourceTable(String sourceTable) {
        return list().stream().filter(p -> p.sourceTable().equals(sourceTable)).toList();
    }

    /** Every pair, ordered by id. */
    public synchronized List<TablePair> list() {
        Instant now = clock.instant();
        if (snapshot == null || !now.isBefore(snapshotAt.plus(cacheFor))) {
            snapshot = scan();
            snapshotAt = now;
        }
        return snapshot;
    }

    /** Forgets the snapshot, so the next read goes to the table. */
    public synchronized void invalidate() {
        snapshot = null;
    }

    private List<TablePair> scan() {
        if (!tableExists()) {
            return List.of();
        }
        List<TablePair> pairs = new ArrayList<>();
        retrier.callUnchecked(() -> {
            pairs.clear();
            client.scanPaginator(b -> b.tableName(table).consistentRead(true)).items().forEach(item -> {
                if (item.get("id") != null && item.get("id").s() != null && item.get("id").s().startsWith(StatusStore.ID_PREFIX)) {
                    return;
                }
                try {
                    pairs.add(PairItem.fromItem(item));
                } catch (IllegalArgumentException e) {
                    log.warn("ignoring unreadable pair {} in {}: {}", item.get("id"), table, e.getMessage());
                }
            });
            return null;
        }, Retrier.Listener.NONE);
        pairs.sort(Comparator.comparing(TablePair::id));
        return List.copyOf(pairs);
    }

    private synchronized boolean tableExists() {
        if (tableKnown) {
            return true;
        }
        try {
            retrier.callUnchecked(() -> client.describeTable(b -> b.tableName(table)), Retrier.Listener.NONE);
            tableKnown = true;
        } catch (ResourceNotFoundException e) {
            return false;
        }
        return true;
    }

    private synchronized void ensureTable() {
        if (tableExists()) {
            return;
        }
        log.info("creating pair registry table {}", table);
        try {
            client.createTable(b -> b.tableName(table)
                    .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build())
                    .attributeDefinitions(AttributeDefinition.builder().attributeName("id").attributeType(ScalarAttributeType.S).build())
                    .billingMode(BillingMode.PAY_PER_REQUEST));
        } catch (ResourceInUseException createdConcurrently) {
            // Someone else created it a moment ago.
        }
        client.waiter().waitUntilTableExists(b -> b.tableName(table));
        tableKnown = true;
    }

    /** The mapping between a pair and its item in the control table. */
    static final class PairItem {

        private PairItem() {
        }

        static Map<String, AttributeValue> toItem(TablePair pair) {
            Map<String, AttributeValue> item = new HashMap<>();
            item.put("id", AttributeValue.fromS(pair.id()));
            item.put("sourceTable", AttributeValue.fromS(pair.sourceTable()));
            item.put("sourceRegion", AttributeValue.fromS(pair.sourceRegion()));
            item.put("replicaTable", AttributeValue.fromS(pair.replicaTable()));
            item.put("replicaRegion", AttributeValue.fromS(pair.replicaRegion()));
            pair.replicaRoleArn().ifPresent(arn -> item.put("replicaRoleArn", AttributeValue.fromS(arn)));
            item.put("versionAttribute", AttributeValue.fromS(pair.versionAttribute()));
            item.put("ttlDeletes", AttributeValue.fromS(pair.ttlDeletes().name()));
            item.put("state", AttributeValue.fromS(pair.state().name()));
            item.put("createdAt", AttributeValue.fromS(pair.createdAt().toString()));
            item.put("updatedAt", AttributeValue.fromS(pair.updatedAt().toString()));
            return item;
        }

        static TablePair fromItem(Map<String, AttributeValue> item) {
            return new TablePair(
                    text(item, "id"),
                    text(item, "sourceTable"),
                    text(item, "sourceRegion"),
                    text(item, "replicaTable"),
                    text(item, "replicaRegion"),
                    Optional.ofNullable(item.get("replicaRoleArn")).map(AttributeValue::s),
                    text(item, "versionAttribute"),
                    TtlDeletePolicy.parse(text(item, "ttlDeletes")),
                    PairState.valueOf(text(item, "state")),
                    Instant.parse(text(item, "createdAt")),
                    Instant.parse(text(item, "updatedAt")));
        }

        private static String text(Map<String, AttributeValue> item, String name) {
            AttributeValue value = item.get(name);
            if (value == null || value.s() == null) {
                throw new IllegalArgumentException("attribute " + name + " is missing");
            }
            return value.s();
        }
    }
}
