package dev.ddbreplicator.core.backfill;

import dev.ddbreplicator.core.model.ItemKey;
import dev.ddbreplicator.core.retry.ErrorClassifier;
import dev.ddbreplicator.core.retry.ErrorKind;
import dev.ddbreplicator.core.retry.PoisonException;
import dev.ddbreplicator.core.retry.Retrier;
import dev.ddbreplicator.core.write.ReplicaItems;
import dev.ddbreplicator.core.write.ReplicaStore;
import dev.ddbreplicator.core.write.ReplicaVersion;
import dev.ddbreplicator.core.write.WriteStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Copies the items a source table already has into its replica, while writes go on and the
 * replicator already applies the stream.
 *
 * <p>Each scanned item is written at version {@link ReplicaVersion#BACKFILL} (all zeros, older
 * than any stream change) through the replica store's guarded put: it lands only if the replica
 * has no version of the item and no delete of it is on record (the tombstone check runs in the
 * same transaction). So:
 * <ul>
 *   <li>a change the replicator applied first is never overwritten by the older scanned copy;</li>
 *   <li>an item deleted during the backfill, whose delete was applied before the scanned copy
 *       arrives, is not brought back: the delete's tombstone refuses the copy;</li>
 *   <li>a change applied after the copy replaces it, since any stream version is newer.</li>
 * </ul>
 * No gap: the replicator must already consume the stream from a position taken before the scan
 * starts, so every change after the scan read an item reaches the replica through the stream.
 * A backfill can be stopped and run again: writes that landed once are refused the second time.
 */
public final class Backfiller {

    private static final int FAILED_EXAMPLES = 10;

    private final DynamoDbClient source;
    private final String sourceTable;
    private final ReplicaStore replica;
    private final String versionAttribute;
    private final BackfillSettings settings;
    private final Retrier retrier;
    private final PageHook hook;
    private final RateLimiter rate;
    private final AtomicLong scanned = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final List<ItemKey> failedExamples = new CopyOnWriteArrayList<>();

    public Backfiller(DynamoDbClient source, String sourceTable, ReplicaStore replica, String versionAttribute,
                      BackfillSettings settings, Retrier retrier, PageHook hook) {
        this.source = source;
        this.sourceTable = sourceTable;
        this.replica = replica;
        this.versionAttribute = versionAttribute;
        this.settings = settings;
        this.retrier = retrier;
        this.hook = hook;
        this.rate = new RateLimiter(settings.itemsPerSecond());
    }

    /** The counts so far; safe to call from another thread while {@link #run()} works. */
    public BackfillProgress progress() {
        return new BackfillProgress(scanned.get(), written.get(), skipped.get(), failed.get());
    }

    /**
     * Scans the whole source and writes what the replica lacks.
     *
     * @throws IllegalStateException when a read or write still fails after the retries; the
     *                               backfill may simply be run again
     */
    public BackfillResult run() throws InterruptedException {
        long started = System.nanoTime();
        List<String> keyNames = retrier.callUnchecked(() -> source.describeTable(b -> b.tableName(sourceTable)), Retrier.Listener.NONE)
                .table().keySchema().stream().map(KeySchemaElement::attributeName).toList();
        AtomicInteger threadCount = new AtomicInteger();
        ExecutorService writers = Executors.newFixedThreadPool(settings.writeConcurrency(), r -> daemon(r, "backfill-write-" + threadCount.incrementAndGet()));
        ExecutorService scanners = Executors.newFixedThreadPool(settings.segments(), r -> daemon(r, "backfill-scan-" + threadCount.incrementAndGet()));
        try {
            List<Future<?>> segments = new ArrayList<>();
            for (int segment = 0; segment < settings.segments(); segment++) {
                int current = segment;
                segments.add(scanners.submit(() -> {
                    scanSegment(current, keyNames, writers);
                    return null;
                }));
            }
            for (Future<?> segment : segments) {
                await(segment);
            }
        } finally {
            scanners.shutdownNow();
            writers.shutdownNow();
        }
        return new BackfillResult(scanned.get(), written.get(), skipped.get(), failed.get(), List.copyOf(failedExamples),
                Duration.ofNanos(System.nanoTime() - started));
    }

    private void scanSegment(int segment, List<String> keyNames, ExecutorService writers) throws Exception {
        int pageLimit = rate.isLimited() ? (int) Math.max(1, Math.min(settings.pageSize(), settings.itemsPerSecond())) : settings.pageSize();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> exclusiveStart = start;
            // Eventually consistent reads are enough: an outdated copy is refused or replaced like any older copy.
            ScanResponse page = retrier.call(() -> source.scan(b -> b.tableName(sourceTable)
                    .segment(segment).totalSegments(settings.segments())
                    .limit(pageLimit)
                    .exclusiveStartKey(exclusiveStart)), Retrier.Listener.NONE);
            List<Map<String, AttributeValue>> items = page.items();
            scanned.addAndGet(items.size());
            rate.acquire(items.size());
            hook.pageRead(segment, items);
            List<Future<?>> writes = new ArrayList<>(items.size());
            for (Map<String, AttributeValue> item : items) {
                writes.add(writers.submit(() -> {
                    copy(item, keyNames);
                    return null;
                }));
            }
            for (Future<?> write : writes) {
                await(write);
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
    }

    private void copy(Map<String, AttributeValue> item, List<String> keyNames) throws Exception {
        Map<String, AttributeValue> key = new HashMap<>();
        for (String name : keyNames) {
            key.put(name, item.get(name));
        }
        ItemKey itemKey = new ItemKey(key);
        Map<String, AttributeValue> copy;
        try {
            copy = ReplicaItems.of(item, versionAttribute, ReplicaVersion.BACKFILL);
        } catch (PoisonException e) {
            fail(itemKey);
            return;
        }
        try {
            WriteStatus status = retrier.call(() -> replica.put(itemKey, copy, ReplicaVersion.BACKFILL, true), Retrier.Listener.NONE);
            (status == WriteStatus.APPLIED ? written : skipped).incrementAndGet();
        } catch (Exception e) {
            if (ErrorClassifier.classify(e) == ErrorKind.FATAL) {
                fail(itemKey);
                return;
            }
            throw e;
        }
    }

    private void fail(ItemKey key) {
        failed.incrementAndGet();
        if (failedExamples.size() < FAILED_EXAMPLES) {
            failedExamples.add(key);
        }
    }

    private static void await(Future<?> future) throws InterruptedException {
        try {
            future.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(cause.getMessage(), cause);
        }
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }
}
