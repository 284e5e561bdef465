package dev.ddbreplicator.backup.restore;

import dev.ddbreplicator.backup.run.RateLimiter;
import dev.ddbreplicator.core.retry.Retrier;
import dev.ddbreplicator.core.retry.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Writes items to the target table with BatchWriteItem, 25 at a time, retrying UnprocessedItems with
 * backoff until they land (or the attempts run out, which fails the restore: it can be resumed), under
 * an optional shared rate limit. Also reads items back with BatchGetItem for a resume's check.
 */
public final class TableWriter {

    /** DynamoDB's limit per BatchWriteItem. */
    public static final int BATCH = 25;
    /** DynamoDB's limit per BatchGetItem. */
    public static final int GET_BATCH = 100;
    /** Unprocessed items: many attempts, each after a longer pause; progress usually comes within a few. */
    public static final RetryPolicy WRITES = new RetryPolicy(25, Duration.ofMillis(50), Duration.ofSeconds(5));

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final Retrier retrier;
    private final Optional<RateLimiter> limiter;
    private final AtomicLong retries = new AtomicLong();
    private final Retrier.Listener countRetries = (attempt, error) -> retries.incrementAndGet();

    public TableWriter(DynamoDbClient dynamoDb, String table, Retrier retrier, Optional<RateLimiter> limiter) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.retrier = retrier;
        this.limiter = limiter;
    }

    /** Calls retried so far (throttling, 5xx, unprocessed items). */
    public long retries() {
        return retries.get();
    }

    /** Writes up to 25 items; returns when every one of them is in the table. */
    public void write(List<Map<String, AttributeValue>> items) throws Exception {
        if (items.isEmpty()) {
            return;
        }
        if (items.size() > BATCH) {
            throw new IllegalArgumentException("at most " + BATCH + " items per batch, got " + items.size());
        }
        if (limiter.isPresent()) {
            limiter.get().acquire(items.size());
        }
        List<WriteRequest> pending = new ArrayList<>(items.size());
        for (Map<String, AttributeValue> item : items) {
            pending.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
        }
        Remaining<WriteRequest> remaining = new Remaining<>(pending);
        retrier.call(() -> {
            Map<String, List<WriteRequest>> request = Map.of(table, remaining.items);
            BatchWriteItemResponse response = dynamoDb.batchWriteItem(b -> b.requestItems(request));
            List<WriteRequest> unprocessed = response.hasUnprocessedItems() ? response.unprocessedItems().getOrDefault(table, List.of()) : List.of();
            if (!unprocessed.isEmpty()) {
                remaining.items = new ArrayList<>(unprocessed);
                throw new UnprocessedException(unprocessed.size() + " of " + request.get(table).size() + " items unprocessed by BatchWriteItem");
            }
            return null;
        }, countRetries);
    }

    /** Reads the items with those keys (at most 100), consistently; absent keys are absent from the answer. */
    public List<Map<String, AttributeValue>> read(List<Map<String, AttributeValue>> keys) throws Exception {
        if (keys.isEmpty()) {
            return List.of();
        }
        List<Map<String, AttributeValue>> found = new ArrayList<>();
        Remaining<Map<String, AttributeValue>> remaining = new Remaining<>(keys);
        retrier.call(() -> {
            Map<String, KeysAndAttributes> request = Map.of(table, KeysAndAttributes.builder().keys(remaining.items).consistentRead(true).build());
            BatchGetItemResponse response = dynamoDb.batchGetItem(b -> b.requestItems(request));
            found.addAll(response.responses().getOrDefault(table, List.of()));
            KeysAndAttributes unprocessed = response.hasUnprocessedKeys() ? response.unprocessedKeys().get(table) : null;
            if (unprocessed != null && unprocessed.hasKeys() && !unprocessed.keys().isEmpty()) {
                remaining.items = new ArrayList<>(unprocessed.keys());
                throw new UnprocessedException(unprocessed.keys().size() + " keys unprocessed by BatchGetItem");
            }
            return null;
        }, countRetries);
        return found;
    }

    /** The key of an item. */
    public static Map<String, AttributeValue> key(Map<String, AttributeValue> item, List<String> keyNames) {
        Map<String, AttributeValue> key = new HashMap<>();
        for (String name : keyNames) {
            key.put(name, item.get(name));
        }
        return key;
    }

    /** What a retry must still send. */
    private static final class Remaining<T> {
        volatile List<T> items;

        Remaining(List<T> items) {
            this.items = items;
        }
    }

    /** DynamoDB took only part of a batch: retryable, with backoff, by the one retrier. */
    static final class UnprocessedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnprocessedException(String message) {
            super(message);
        }
    }
}
