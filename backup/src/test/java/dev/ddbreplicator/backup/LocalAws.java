package dev.ddbreplicator.backup;

import dev.ddbreplicator.core.aws.AwsClients;
import dev.ddbreplicator.core.aws.AwsSettings;
import dev.ddbreplicator.testkit.LocalRegion;
import dev.ddbreplicator.testkit.LocalS3;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.s3.S3Client;

/** The backup module's tests' wiring: one local region and the local S3 server, reached through the product's clients. */
final class LocalAws implements AutoCloseable {

    static final String REGION = "us-east-1";

    final AwsClients clients;

    LocalAws(LocalRegion region, LocalS3 s3, ExecutionInterceptor... interceptors) {
        AwsSettings local = AwsSettings.local(Map.of(REGION, region.endpoint()), Optional.of(s3.endpoint()));
        // DynamoDB Local answers a Scan page in time proportional to the rows left in its segment: give it room on a busy machine.
        this.clients = new AwsClients(new AwsSettings(local.endpoints(), local.s3Endpoint(), local.credentials(), local.maxConnections(),
                Duration.ofSeconds(60), List.of()).withInterceptors(interceptors));
    }

    DynamoDbClient dynamoDb() {
        return clients.dynamoDb(REGION);
    }

    S3Client s3() {
        return clients.s3(REGION);
    }

    void createBucket(String bucket) {
        s3().createBucket(b -> b.bucket(bucket));
    }

    /** Loads items {@code 0..count-1} made by {@code itemAt} with parallel BatchWriteItem calls, holding only the batches in flight. */
    static void load(DynamoDbClient client, String table, int count, java.util.function.IntFunction<Map<String, AttributeValue>> itemAt,
                     int threads) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int start = 0; start < count; start += 25) {
                int from = start;
                futures.add(pool.submit(() -> {
                    List<Map<String, AttributeValue>> batch = new ArrayList<>();
                    for (int i = from; i < Math.min(count, from + 25); i++) {
                        batch.add(itemAt.apply(i));
                    }
                    writeBatch(client, table, batch);
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("loading " + table + " failed", e);
        } finally {
            pool.shutdownNow();
        }
    }

    static void writeBatch(DynamoDbClient client, String table, List<Map<String, AttributeValue>> batch) {
        List<WriteRequest> writes = batch.stream()
                .map(i -> WriteRequest.builder().putRequest(PutRequest.builder().item(i).build()).build())
                .toList();
        Map<String, List<WriteRequest>> pending = new HashMap<>(Map.of(table, writes));
        while (!pending.isEmpty()) {
            BatchWriteItemResponse response = client.batchWriteItem(b -> b.requestItems(pending));
            pending.clear();
            if (response.hasUnprocessedItems()) {
                pending.putAll(response.unprocessedItems());
            }
        }
    }

    /** Loads items with parallel BatchWriteItem calls, retrying unprocessed items. */
    static void load(DynamoDbClient client, String table, List<Map<String, AttributeValue>> items, int threads) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int start = 0; start < items.size(); start += 25) {
                List<Map<String, AttributeValue>> batch = items.subList(start, Math.min(items.size(), start + 25));
                futures.add(pool.submit(() -> {
                    List<WriteRequest> writes = batch.stream()
                            .map(i -> WriteRequest.builder().putRequest(PutRequest.builder().item(i).build()).build())
                            .toList();
                    Map<String, List<WriteRequest>> pending = new HashMap<>(Map.of(table, writes));
                    while (!pending.isEmpty()) {
                        BatchWriteItemResponse response = client.batchWriteItem(b -> b.requestItems(pending));
                        pending.clear();
                        if (response.hasUnprocessedItems()) {
                            pending.putAll(response.unprocessedItems());
                        }
                    }
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("loading " + table + " failed", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Compares two tables over keys {@code 0..count-1} made by {@code keyAt}, reading both with BatchGetItem
     * (DynamoDB Local answers key reads fast, where its Scan pages slow down with the table's size).
     *
     * @return the keys missing from either table or whose items differ
     */
    static List<Map<String, AttributeValue>> differences(DynamoDbClient client, String expectedTable, String actualTable, List<String> keyNames,
                                                         int count, java.util.function.IntFunction<Map<String, AttributeValue>> keyAt,
                                                         int threads) {
        List<Map<String, AttributeValue>> differing = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int start = 0; start < count; start += 100) {
                int from = start;
                futures.add(pool.submit(() -> {
                    List<Map<String, AttributeValue>> keys = new ArrayList<>();
                    for (int i = from; i < Math.min(count, from + 100); i++) {
                        keys.add(keyAt.apply(i));
                    }
                    Map<Map<String, AttributeValue>, Map<String, AttributeValue>> expected = read(client, expectedTable, keyNames, keys);
                    Map<Map<String, AttributeValue>, Map<String, AttributeValue>> actual = read(client, actualTable, keyNames, keys);
                    for (Map<String, AttributeValue> key : keys) {
                        Map<String, AttributeValue> e = expected.get(key);
                        if (e == null || !e.equals(actual.get(key))) {
                            differing.add(key);
                        }
                    }
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("comparing " + expectedTable + " with " + actualTable + " failed", e);
        } finally {
            pool.shutdownNow();
        }
        return differing;
    }

    static Map<Map<String, AttributeValue>, Map<String, AttributeValue>> read(DynamoDbClient client, String table, List<String> keyNames,
                                                                               List<Map<String, AttributeValue>> keys) {
        Map<Map<String, AttributeValue>, Map<String, AttributeValue>> found = new HashMap<>();
        List<Map<String, AttributeValue>> pending = keys;
        while (!pending.isEmpty()) {
            List<Map<String, AttributeValue>> ask = pending;
            var response = client.batchGetItem(b -> b.requestItems(Map.of(table,
                    software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes.builder().keys(ask).consistentRead(true).build())));
            response.responses().getOrDefault(table, List.of()).forEach(item -> found.put(key(item, keyNames), item));
            pending = response.hasUnprocessedKeys() && response.unprocessedKeys().containsKey(table)
                    ? new ArrayList<>(response.unprocessedKeys().get(table).keys()) : List.of();
        }
        return found;
    }

    static Map<String, AttributeValue> key(Map<String, AttributeValue> item, List<String> keyNames) {
        Map<String, AttributeValue> key = new HashMap<>();
        keyNames.forEach(k -> key.put(k, item.get(k)));
        return key;
    }

    /** Items in the table, as DescribeTable counts them (DynamoDB Local counts exactly and at once). */
    static long count(DynamoDbClient client, String table) {
        return client.describeTable(b -> b.tableName(table)).table().itemCount();
    }

    @Override
    public void close() {
        clients.close();
    }
}
