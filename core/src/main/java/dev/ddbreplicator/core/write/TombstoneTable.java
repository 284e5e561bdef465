package dev.ddbreplicator.core.write;

import dev.ddbreplicator.core.model.ItemKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Remembers, for a while, the version at which each replica item was deleted, so that an older
 * put arriving later (a replay, a second replicator, a backfill's scanned copy) cannot bring the
 * item back. One table in the replica's region serves every replica table there; entries expire
 * by DynamoDB TTL after {@code retention}, which must outlast the stream's 24 hours.
 */
public final class TombstoneTable {

    public static final String DEFAULT_NAME = "ddb-replicator-tombstones";
    public static final Duration DEFAULT_RETENTION = Duration.ofHours(48);

    static final String ID = "id";
    static final String VERSION = "v";
    static final String EXPIRES_AT = "expiresAt";
    /**
     * {@code :v} is newer than any delete on record. Recording a delete needs it (a tombstone only
     * moves forward), and so does a put of an absent item (it must not undo a newer delete).
     */
    public static final String NEWER_THAN_RECORDED = "attribute_not_exists(#v) OR #v < :v";

    private static final Logger log = LoggerFactory.getLogger(TombstoneTable.class);

    private final DynamoDbClient client;
    private final String name;
    private final String replicaTable;
    private final Clock clock;
    private final Duration retention;

    public TombstoneTable(DynamoDbClient client, String name, String replicaTable, Clock clock, Duration retention) {
        this.client = client;
        this.name = name;
        this.replicaTable = replicaTable;
        this.clock = clock;
        this.retention = retention;
    }

    /** The version of the newest delete recorded for this key, if any (strongly consistent). */
    public Optional<ReplicaVersion> version(ItemKey key) {
        Map<String, AttributeValue> item = client.getItem(b -> b.tableName(name).key(id(key)).consistentRead(true)).item();
        if (item == null || !item.containsKey(VERSION)) {
            return Optional.empty();
        }
        return Optional.of(new ReplicaVersion(item.get(VERSION).s()));
    }

    /** The transaction step that lets a put at this version through only if no newer delete is on record. */
    public TransactWriteItem olderOrNoDeleteCheck(ItemKey key, ReplicaVersion version) {
        return TransactWriteItem.builder().conditionCheck(c -> c.tableName(name).key(id(key))
                .conditionExpression(NEWER_THAN_RECORDED)
                .expressionAttributeNames(Map.of("#v", VERSION))
                .expressionAttributeValues(Map.of(":v", AttributeValue.fromS(version.value())))).build();
    }

    /**
     * Records a delete at this version, unless one as new is recorded already.
     *
     * @return whether the record moved forward (false: this delete, or a newer one, was known)
     */
    public boolean record(ItemKey key, ReplicaVersion version) {
        long expiresAt = clock.instant().plus(retention).getEpochSecond();
        Map<String, AttributeValue> item = new java.util.HashMap<>(id(key));
        item.put(VERSION, AttributeValue.fromS(version.value()));
        item.put(EXPIRES_AT, AttributeValue.fromN(Long.toString(expiresAt)));
        try {
            client.putItem(b -> b.tableName(name).item(item)
                    .conditionExpression(NEWER_THAN_RECORDED)
                    .expressionAttributeNames(Map.of("#v", VERSION))
                    .expressionAttributeValues(Map.of(":v", AttributeValue.fromS(version.value()))));
            return true;
        } catch (ConditionalCheckFailedException asNewAlreadyRecorded) {
            // This delete or a newer one of the key is on record; it guards the key as well as ours would.
            return false;
        }
    }

    /** Creates the tombstone table with TTL on {@code expiresAt} if it does not exist yet. */
    public static void ensureExists(DynamoDbClient client, String name) {
        try {
            client.describeTable(b -> b.tableName(name));
            return;
        } catch (ResourceNotFoundException missing) {
            log.info("creating tombstone table {}", name);
        }
        try {
            client.createTable(b -> b.tableName(name)
                    .keySchema(KeySchemaElement.builder().attributeName(ID).keyType(KeyType.HASH).build())
                    .attributeDefinitions(AttributeDefinition.builder().attributeName(ID).attributeType(ScalarAttributeType.S).build())
                    .billingMode(BillingMode.PAY_PER_REQUEST));
        } catch (ResourceInUseException createdConcurrently) {
            // Another replicator created it a moment ago.
        }
        client.waiter().waitUntilTableExists(b -> b.tableName(name));
        try {
            client.updateTimeToLive(b -> b.tableName(name)
                    .timeToLiveSpecification(t -> t.attributeName(EXPIRES_AT).enabled(true)));
        } catch (DynamoDbException e) {
            // Without TTL the table only grows; every entry stays correct, so go on, but say so.
            log.warn("could not enable TTL on tombstone table {}: {}", name, e.getMessage());
        }
    }

    private Map<String, AttributeValue> id(ItemKey key) {
        return Map.of(ID, AttributeValue.fromS(replicaTable + "#" + key.digest()));
    }
}
