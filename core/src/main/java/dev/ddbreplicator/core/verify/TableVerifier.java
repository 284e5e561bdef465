package dev.ddbreplicator.core.verify;

import dev.ddbreplicator.core.model.ItemKey;
import dev.ddbreplicator.core.retry.Retrier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Compares a source table with its replica: both are scanned in parallel segments and reduced to
 * a fingerprint per key, ignoring the replication version. An item that differs is then read
 * again, strongly consistent, from both sides, a few times with a pause in between: a change may
 * simply be on its way through the stream, and only what still differs after that is reported.
 */
public final class TableVerifier {

    private final DynamoDbClient source;
    private final String sourceTable;
    private final DynamoDbClient replica;
    private final String replicaTable;
    /** Ignored on the replica only: a source item carrying it can never be held as it is, so it must differ. */
    private final Set<String> replicaOnly;
    private final VerifySettings settings;
    private final Retrier retrier;
    private final AtomicLong scanned = new AtomicLong();

    public TableVerifier(DynamoDbClient source, String sourceTable, DynamoDbClient replica, String replicaTable, String versionAttribute,
                         VerifySettings settings, Retrier retrier) {
        this.source = source;
        this.sourceTable = sourceTable;
        this.replica = replica;
        this.replicaTable = replicaTable;
        this.replicaOnly = Set.of(versionAttribute);
        this.settings = settings;
        this.retrier = retrier;
    }

    /** Items scanned so far, both tables together; safe to call while {@link #verify()} runs. */
    public long scanned() {
        return scanned.get();
    }

    public VerifyReport verify() throws InterruptedException {
        List<String> keyNames = keyNames(source, sourceTable);
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(64, settings.segments() * 2), r -> {
            Thread thread = new Thread(r, "verify");
            thread.setDaemon(true);
            return thread;
        });
        try {
            Map<ItemKey, ItemDigest> sourceItems = new ConcurrentHashMap<>();
            Map<ItemKey, ItemDigest> replicaItems = new ConcurrentHashMap<>();
            List<Future<?>> scans = new ArrayList<>();
            for (int segment = 0; segment < settings.segments(); segment++) {
                int current = segment;
                scans.add(pool.submit(() -> scan(source, sourceTable, current, keyNames, Set.of(), sourceItems)));
                scans.add(pool.submit(() -> scan(replica, replicaTable, current, keyNames, replicaOnly, replicaItems)));
            }
            awaitAll(scans);

            List<ItemKey> suspects = new ArrayList<>();
            sourceItems.forEach((key, digest) -> {
                if (!digest.equals(replicaItems.get(key))) {
                    suspects.add(key);
                }
            });
            replicaItems.keySet().stream().filter(k -> !sourceItems.containsKey(k)).forEach(suspects::add);

            Map<ItemKey, Sides> stillDifferent = recheck(suspects, pool);
            List<ItemKey> missing = new ArrayList<>();
            List<ItemKey> extra = new ArrayList<>();
            List<ItemKey> different = new ArrayList<>();
            stillDifferent.forEach((key, sides) -> {
                if (sides.source().isPresent() && sides.replica().isEmpty()) {
                    missing.add(key);
                } else if (sides.source().isEmpty()) {
                    extra.add(key);
                } else {
                    different.add(key);
                }
            });
            return new VerifyReport(sourceItems.size(), replicaItems.size(), suspects.size() - stillDifferent.size(),
                    sorted(missing), sorted(extra), sorted(different), settings.examples());
        } finally {
            pool.shutdownNow();
        }
    }

    /** What both sides hold for one key now; empty where the item is absent. */
    private record Sides(Optional<ItemDigest> source, Optional<ItemDigest> replica) {
        boolean agree() {
            return source.equals(replica);
        }
    }

    private Map<ItemKey, Sides> recheck(List<ItemKey> suspects, ExecutorService pool) throws InterruptedException {
        Map<ItemKey, Sides> remaining = new HashMap<>();
        suspects.forEach(k -> remaining.put(k, null));
        for (int round = 0; round < settings.rechecks() && !remaining.isEmpty(); round++) {
            Thread.sleep(settings.recheckDelay().toMillis());
            Map<ItemKey, Future<Sides>> reads = new HashMap<>();
            for (ItemKey key : remaining.keySet()) {
                reads.put(key, pool.submit(() -> new Sides(read(source, sourceTable, key, Set.of()), read(replica, replicaTable, key, replicaOnly))));
            }
            for (var entry : reads.entrySet()) {
                Sides sides = get(entry.getValue());
                if (sides.agree()) {
                    remaining.remove(entry.getKey());
                } else {
                    remaining.put(entry.getKey(), sides);
                }
            }
        }
        return remaining;
    }

    private Optional<ItemDigest> read(DynamoDbClient client, String table, ItemKey key, Set<String> ignored) {
        Map<String, AttributeValue> item = retrier.callUnchecked(() -> client.getItem(b -> b.tableName(table)
                .key(key.attributes()).consistentRead(true)).item(), Retrier.Listener.NONE);
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(ItemDigest.of(item, ignored));
    }

    private Void scan(DynamoDbClient client, String table, int segment, List<String> keyNames, Set<String> ignored,
                      Map<ItemKey, ItemDigest> into) {
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> exclusiveStart = start;
            ScanResponse page = retrier.callUnchecked(() -> client.scan(b -> b.tableName(table).consistentRead(true)
                    .segment(segment).totalSegments(settings.segments()).exclusiveStartKey(exclusiveStart)), Retrier.Listener.NONE);
            for (Map<String, AttributeValue> item : page.items()) {
                into.put(keyOf(item, keyNames), ItemDigest.of(item, ignored));
            }
            scanned.addAndGet(page.items().size());
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return null;
    }

    /** The key attribute names of a table, hash key first. */
    public static List<String> keyNames(DynamoDbClient client, String table) {
        return client.describeTable(b -> b.tableName(table)).table().keySchema().stream()
                .map(KeySchemaElement::attributeName).toList();
    }

    /** The key of an item of a table with these key attributes. */
    public static ItemKey keyOf(Map<String, AttributeValue> item, List<String> keyNames) {
        Map<String, AttributeValue> key = new HashMap<>();
        for (String name : keyNames) {
            AttributeValue value = item.get(name);
            if (value == null) {
                throw new IllegalArgumentException("item lacks key attribute " + name);
            }
            key.put(name, value);
        }
        return new ItemKey(key);
    }

    private static List<ItemKey> sorted(List<ItemKey> keys) {
        keys.sort(java.util.Comparator.comparing(ItemKey::toString));
        return keys;
    }

    private static void awaitAll(List<Future<?>> futures) throws InterruptedException {
        for (Future<?> future : futures) {
            get(future);
        }
    }

    private static <T> T get(Future<T> future) throws InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
    }
}
