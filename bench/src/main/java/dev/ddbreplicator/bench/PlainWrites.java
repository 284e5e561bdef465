package dev.ddbreplicator.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The limits the tool is compared with: plain unconditional {@code PutItem}, and plain
 * {@code BatchWriteItem} of 25 items, from a fixed number of threads, without the tool's logic.
 */
public final class PlainWrites {

    private PlainWrites() {
    }

    /** Puts every item, {@code threads} at a time; returns items per second over the whole run. */
    public static double putItems(DynamoDbClient client, String table, List<Map<String, AttributeValue>> items, int threads) {
        AtomicInteger next = new AtomicInteger();
        long nanos = run(threads, () -> {
            for (int i = next.getAndIncrement(); i < items.size(); i = next.getAndIncrement()) {
                Map<String, AttributeValue> item = items.get(i);
                client.putItem(b -> b.tableName(table).item(item));
            }
        });
        return items.size() / (nanos / 1e9);
    }

    /**
     * The replicator's own protocol for new items, without the replicator: for each item a check
     * that its tombstone is older (or absent) and a put on {@code attribute_not_exists(#v) OR #v < :v},
     * {@code perTransaction} items to a TransactWriteItems, {@code threads} transactions at a time.
     * Every item must carry {@code _rv}. Returns items per second.
     */
    public static double guardedInserts(DynamoDbClient client, String table, String tombstones, List<Map<String, AttributeValue>> items,
                                        int threads, int perTransaction) {
        AtomicInteger next = new AtomicInteger();
        long nanos = run(threads, () -> {
            for (int g = next.getAndIncrement(); g * perTransaction < items.size(); g = next.getAndIncrement()) {
                List<TransactWriteItem> actions = new ArrayList<>();
                for (int i = g * perTransaction; i < Math.min(items.size(), (g + 1) * perTransaction); i++) {
                    Map<String, AttributeValue> item = items.get(i);
                    Map<String, AttributeValue> version = Map.of(":v", item.get("_rv"));
                    actions.add(TransactWriteItem.builder().conditionCheck(c -> c.tableName(tombstones)
                            .key(Map.of("id", AttributeValue.fromS(table + "#" + item.get(Items.KEY).s())))
                            .conditionExpression("attribute_not_exists(#v) OR #v < :v")
                            .expressionAttributeNames(Map.of("#v", "v")).expressionAttributeValues(version)).build());
                    actions.add(TransactWriteItem.builder().put(p -> p.tableName(table).item(item)
                            .conditionExpression("attribute_not_exists(#v) OR #v < :v")
                            .expressionAttributeNames(Map.of("#v", "_rv")).expressionAttributeValues(version)).build());
                }
                client.transactWriteItems(b -> b.transactItems(actions));
            }
        });
        return items.size() / (nanos / 1e9);
    }

    /** Writes every item in batches of 25, {@code threads} batches at a time, retrying unprocessed items; returns items per second. */
    public static double batchWrite(DynamoDbClient client, String table, List<Map<String, AttributeValue>> items, int threads) {
        List<List<Map<String, AttributeValue>>> batches = new ArrayList<>();
        for (int i = 0; i < items.size(); i += 25) {
            batches.add(items.subList(i, Math.min(items.size(), i + 25)));
        }
        AtomicInteger next = new AtomicInteger();
        long nanos = run(threads, () -> {
            for (int i = next.getAndIncrement(); i < batches.size(); i = next.getAndIncrement()) {
                batchWrite(client, table, batches.get(i));
            }
        });
        return items.size() / (nanos / 1e9);
    }

    /** One BatchWriteItem of up to 25 items, retried until all are in. */
    public static void batchWrite(DynamoDbClient client, String table, List<Map<String, AttributeValue>> batch) {
        List<WriteRequest> writes = new ArrayList<>(batch.size());
        for (Map<String, AttributeValue> item : batch) {
            writes.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
        }
        Map<String, List<WriteRequest>> pending = new HashMap<>(Map.of(table, writes));
        while (!pending.isEmpty()) {
            BatchWriteItemResponse response = client.batchWriteItem(b -> b.requestItems(pending));
            pending.clear();
            if (response.hasUnprocessedItems()) {
                pending.putAll(response.unprocessedItems());
            }
        }
    }

    /** Runs the body in {@code threads} threads at once; returns the wall time in nanoseconds. */
    public static long run(int threads, Runnable body) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long start = System.nanoTime();
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(body));
            }
            for (Future<?> future : futures) {
                future.get();
            }
            return System.nanoTime() - start;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("a writer failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
