package dev.ddbreplicator.testkit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * A reproducible random mix of puts, updates and deletes on a table, over a fixed key space so
 * that updates and deletes hit items that exist. Items carry every attribute type. Keys are
 * split between threads, so each key's changes happen in one thread, in order.
 */
public final class Workload {

    private final TableShape shape;
    private final int keySpace;
    private final long seed;
    private final double putShare;
    private final double updateShare;

    /**
     * @param shape the table's key
     * @param keySpace how many distinct keys the workload touches
     * @param seed the random seed; the same seed gives the same operations
     * @param putShare share of full-item puts (new or overwrite)
     * @param updateShare share of UpdateItem calls; the rest are deletes
     */
    public Workload(TableShape shape, int keySpace, long seed, double putShare, double updateShare) {
        if (keySpace < 1 || putShare < 0 || updateShare < 0 || putShare + updateShare > 1) {
            throw new IllegalArgumentException("bad workload: keySpace=" + keySpace + " put=" + putShare + " update=" + updateShare);
        }
        this.shape = shape;
        this.keySpace = keySpace;
        this.seed = seed;
        this.putShare = putShare;
        this.updateShare = updateShare;
    }

    /** 50% puts, 30% updates, 20% deletes. */
    public static Workload mixed(TableShape shape, int keySpace, long seed) {
        return new Workload(shape, keySpace, seed, 0.5, 0.3);
    }

    /** Runs {@code operations} changes against the table with the given number of threads; returns the count done. */
    public long run(DynamoDbClient client, String table, int operations, int threads) {
        AtomicLong done = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                int share = operations / threads + (thread < operations % threads ? 1 : 0);
                futures.add(pool.submit(() -> runThread(client, table, thread, threads, share, done)));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("workload interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("workload failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return done.get();
    }

    private void runThread(DynamoDbClient client, String table, int thread, int threads, int operations, AtomicLong done) {
        Random random = new Random(seed * 31 + thread);
        for (int i = 0; i < operations; i++) {
            // Keys congruent to this thread only: one key's changes never race between threads.
            int slot = random.nextInt(Math.max(1, keySpace / threads)) * threads + thread;
            Map<String, AttributeValue> key = key(slot % keySpace);
            double dice = random.nextDouble();
            if (dice < putShare) {
                Map<String, AttributeValue> item = new HashMap<>(key);
                item.putAll(randomAttributes(random));
                client.putItem(b -> b.tableName(table).item(item));
            } else if (dice < putShare + updateShare) {
                long n = random.nextInt(1000);
                client.updateItem(b -> b.tableName(table).key(key)
                        .updateExpression("SET #c = if_not_exists(#c, :zero) + :one, #s = :s REMOVE #gone")
                        .expressionAttributeNames(Map.of("#c", "counter", "#s", "status", "#gone", "flag"))
                        .expressionAttributeValues(Map.of(
                                ":zero", AttributeValue.fromN("0"),
                                ":one", AttributeValue.fromN("1"),
                                ":s", AttributeValue.fromS("updated-" + n))));
            } else {
                client.deleteItem(b -> b.tableName(table).key(key));
            }
            done.incrementAndGet();
        }
    }

    /** The key of slot {@code i} of the key space; distinct slots give distinct keys. */
    public Map<String, AttributeValue> key(int i) {
        Map<String, AttributeValue> key = new HashMap<>();
        if (shape.rangeKey().isPresent()) {
            key.put(shape.hashKey(), value(shape.hashType(), i / 4));
            key.put(shape.rangeKey().get(), value(shape.rangeType(), i % 4));
        } else {
            key.put(shape.hashKey(), value(shape.hashType(), i));
        }
        return key;
    }

    private static AttributeValue value(ScalarAttributeType type, int index) {
        return switch (type) {
            case S -> AttributeValue.fromS("k" + index);
            case N -> AttributeValue.fromN(Integer.toString(index));
            case B -> AttributeValue.fromB(SdkBytes.fromString("k" + index, StandardCharsets.UTF_8));
            default -> throw new IllegalArgumentException("not a key type: " + type);
        };
    }

    /** A random set of non-key attributes covering every DynamoDB type. */
    public static Map<String, AttributeValue> randomAttributes(Random random) {
        Map<String, AttributeValue> attributes = new HashMap<>();
        attributes.put("name", AttributeValue.fromS("name-" + random.nextInt(100_000)));
        attributes.put("amount", AttributeValue.fromN(Long.toString(random.nextLong() % 1_000_000_000L)));
        attributes.put("price", AttributeValue.fromN(random.nextInt(100_000) + "." + random.nextInt(100)));
        byte[] bytes = new byte[1 + random.nextInt(32)];
        random.nextBytes(bytes);
        attributes.put("blob", AttributeValue.fromB(SdkBytes.fromByteArray(bytes)));
        attributes.put("active", AttributeValue.fromBool(random.nextBoolean()));
        if (random.nextBoolean()) {
            attributes.put("flag", AttributeValue.fromNul(true));
        }
        attributes.put("tags", AttributeValue.fromSs(List.of("t" + random.nextInt(5), "u" + random.nextInt(5))));
        attributes.put("scores", AttributeValue.fromNs(List.of(Integer.toString(random.nextInt(50)), Integer.toString(50 + random.nextInt(50)))));
        attributes.put("chunks", AttributeValue.fromBs(List.of(SdkBytes.fromByteArray(new byte[] {1, (byte) random.nextInt(100)}),
                SdkBytes.fromByteArray(new byte[] {2}))));
        attributes.put("profile", AttributeValue.fromM(Map.of(
                "city", AttributeValue.fromS("c" + random.nextInt(20)),
                "raw", AttributeValue.fromB(SdkBytes.fromByteArray(bytes)),
                "nested", AttributeValue.fromL(List.of(AttributeValue.fromN("1"), AttributeValue.fromNul(true))))));
        attributes.put("history", AttributeValue.fromL(List.of(AttributeValue.fromS("a"), AttributeValue.fromN(Integer.toString(random.nextInt(9))),
                AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {9})))));
        return attributes;
    }
}
