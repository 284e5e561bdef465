package dev.ddbreplicator.bench.replication;

import dev.ddbreplicator.bench.Items;
import dev.ddbreplicator.bench.Stats;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * Replication lag by the benchmark's own clock: new items are written to the source at a steady
 * rate, and a watcher reads the replica (consistent BatchGetItem) for a sample of them until each
 * is there. The lag of an item is from just before its PutItem was sent to the answer of the
 * first read that found it in the replica.
 */
public final class LagProbe {

    /** About this many items a second are watched, whatever the write rate. */
    private static final int WATCHED_PER_SECOND = 50;

    /** What was measured. */
    public record Result(double rate, int writes, int samples, double p50Millis, double p99Millis, double maxMillis) {
    }

    private LagProbe() {
    }

    static Result run(DynamoDbClient source, String sourceTable, DynamoDbClient replica, String replicaTable, String prefix, double rate,
                      long durationMillis) throws InterruptedException {
        int total = (int) Math.max(1, rate * durationMillis / 1000);
        int every = (int) Math.max(1, Math.round(rate / WATCHED_PER_SECOND));
        Random random = new Random(7);
        List<Map<String, AttributeValue>> items = new ArrayList<>(total);
        for (int i = 0; i < total; i++) {
            items.add(Items.distinct(prefix + i + "-", 1, random.nextLong()).get(0));
        }
        Map<String, Long> pending = new ConcurrentHashMap<>();
        List<Long> lags = new CopyOnWriteArrayList<>();
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime() + 50_000_000L;
        Thread watcher = new Thread(() -> watch(replica, replicaTable, pending, lags), "lag-watcher");
        watcher.setDaemon(true);
        watcher.start();
        try {
            dev.ddbreplicator.bench.PlainWrites.run(8, () -> {
                for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                    long due = start + (long) (i * 1e9 / rate);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    Map<String, AttributeValue> item = items.get(i);
                    long sent = System.nanoTime();
                    if (i % every == 0) {
                        pending.put(item.get(Items.KEY).s(), sent);
                    }
                    source.putItem(b -> b.tableName(sourceTable).item(item));
                }
            });
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (!pending.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            if (!pending.isEmpty()) {
                throw new IllegalStateException(pending.size() + " watched items never reached the replica within 2 minutes");
            }
        } finally {
            watcher.interrupt();
            watcher.join(5000);
        }
        List<Long> copy = new ArrayList<>(lags);
        return new Result(rate, total, copy.size(), Stats.percentile(copy, 50) / 1e6, Stats.percentile(copy, 99) / 1e6, Stats.max(copy) / 1e6);
    }

    private static void watch(DynamoDbClient replica, String table, Map<String, Long> pending, List<Long> lags) {
        while (!Thread.currentThread().isInterrupted()) {
            List<String> keys = new ArrayList<>(pending.keySet());
            if (keys.isEmpty()) {
                LockSupport.parkNanos(5_000_000L);
                continue;
            }
            keys.sort((a, b) -> Long.compare(pending.getOrDefault(a, 0L), pending.getOrDefault(b, 0L)));
            List<Map<String, AttributeValue>> batch = new ArrayList<>();
            for (String key : keys.subList(0, Math.min(100, keys.size()))) {
                batch.add(Map.of(Items.KEY, AttributeValue.fromS(key)));
            }
            try {
                Map<String, KeysAndAttributes> request = new HashMap<>(Map.of(table, KeysAndAttributes.builder().keys(batch)
                        .consistentRead(true).projectionExpression(Items.KEY).build()));
                var response = replica.batchGetItem(b -> b.requestItems(request));
                long seen = System.nanoTime();
                for (Map<String, AttributeValue> found : response.responses().getOrDefault(table, List.of())) {
                    Long sent = pending.remove(found.get(Items.KEY).s());
                    if (sent != null) {
                        lags.add(seen - sent);
                    }
                }
            } catch (RuntimeException e) {
                // a slow or failed read only delays what it would have seen; the next round reads again
            }
            LockSupport.parkNanos(5_000_000L);
        }
    }
}
