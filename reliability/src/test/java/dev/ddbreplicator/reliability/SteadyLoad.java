package dev.ddbreplicator.reliability;

import dev.ddbreplicator.testkit.TableShape;
import dev.ddbreplicator.testkit.Workload;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Writes puts, updates and deletes to the source table at a steady rate in background threads until
 * stopped, and keeps going when a write fails (a region may be stopped on purpose). Keys are split
 * between threads, so each key's changes happen in order. The source table itself is the truth a
 * test compares the replica with: a write that failed simply did not happen (or did, and only its
 * answer was lost; the table shows which).
 */
final class SteadyLoad implements AutoCloseable {

    private final DynamoDbClient client;
    private final String table;
    private final Workload keys;
    private final int keySpace;
    private final double perSecond;
    private final int threads;
    private final long seed;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicLong succeeded = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final List<Thread> workers = new ArrayList<>();

    /**
     * @param perSecond operations a second, all threads together
     */
    SteadyLoad(DynamoDbClient client, String table, TableShape shape, int keySpace, double perSecond, int threads, long seed) {
        this.client = client;
        this.table = table;
        this.keys = Workload.mixed(shape, keySpace, seed);
        this.keySpace = keySpace;
        this.perSecond = perSecond;
        this.threads = threads;
        this.seed = seed;
    }

    SteadyLoad start() {
        running.set(true);
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread worker = new Thread(() -> run(thread), "steady-load-" + t);
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
        return this;
    }

    private void run(int thread) {
        Random random = new Random(seed * 131 + thread);
        long intervalNanos = (long) (1e9 * threads / perSecond);
        long next = System.nanoTime();
        while (running.get()) {
            int slot = random.nextInt(Math.max(1, keySpace / threads)) * threads + thread;
            Map<String, AttributeValue> key = keys.key(slot % keySpace);
            try {
                double dice = random.nextDouble();
                if (dice < 0.5) {
                    Map<String, AttributeValue> item = new HashMap<>(key);
                    item.putAll(Workload.randomAttributes(random));
                    client.putItem(b -> b.tableName(table).item(item));
                } else if (dice < 0.8) {
                    client.updateItem(b -> b.tableName(table).key(key)
                            .updateExpression("SET #c = if_not_exists(#c, :zero) + :one, #s = :s")
                            .expressionAttributeNames(Map.of("#c", "counter", "#s", "status"))
                            .expressionAttributeValues(Map.of(":zero", AttributeValue.fromN("0"), ":one", AttributeValue.fromN("1"),
                                    ":s", AttributeValue.fromS("s" + random.nextInt(1000)))));
                } else {
                    client.deleteItem(b -> b.tableName(table).key(key));
                }
                succeeded.incrementAndGet();
            } catch (RuntimeException e) {
                failed.incrementAndGet();
            }
            next += intervalNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                sleepNanos(wait);
            } else if (wait < -1_000_000_000L) {
                // Far behind (a stopped region): do not burst to catch up afterwards.
                next = System.nanoTime();
            }
        }
    }

    private static void sleepNanos(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until the table has accepted {@code more} writes beyond those so far (a slow machine starts slowly). */
    SteadyLoad awaitMore(long more, java.time.Duration timeout) throws InterruptedException {
        long target = succeeded.get() + more;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (succeeded.get() < target && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return this;
    }

    /** Writes the table accepted. */
    long succeeded() {
        return succeeded.get();
    }

    /** Writes that failed (a region was down). */
    long failed() {
        return failed.get();
    }

    /** Stops and waits for the threads; returns the writes the table accepted. */
    long stop() {
        running.set(false);
        for (Thread worker : workers) {
            try {
                worker.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return succeeded.get();
    }

    @Override
    public void close() {
        stop();
    }
}
