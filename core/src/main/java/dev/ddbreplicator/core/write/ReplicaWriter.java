package dev.ddbreplicator.core.write;

import dev.ddbreplicator.core.model.ChangeEvent;
import dev.ddbreplicator.core.model.ChangeKind;
import dev.ddbreplicator.core.model.ItemKey;
import dev.ddbreplicator.core.pair.TtlDeletePolicy;
import dev.ddbreplicator.core.retry.ErrorClassifier;
import dev.ddbreplicator.core.retry.ErrorKind;
import dev.ddbreplicator.core.retry.PoisonException;
import dev.ddbreplicator.core.retry.Retrier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Applies a batch of change events to one replica table and says what became of each.
 *
 * <p>The rules, in order:
 * <ol>
 *   <li>Compaction: of several events for one key in a batch only the newest (the last, in a
 *       stream) is written; the others share its fate (STALE once it is done,
 *       RETRYABLE_FAILURE if it is not).</li>
 *   <li>Policy: a TTL delete is SKIPPED when the pair keeps TTL-expired items.</li>
 *   <li>Validation: a put whose item, with the version attribute added, exceeds 400 KB, or an
 *       insert without a new image, is POISON before anything is sent.</li>
 *   <li>Idempotence: every write goes through {@link ReplicaStore}, which writes only over an
 *       older version; a refused write is STALE, never an error.</li>
 *   <li>Concurrency: distinct keys are written in parallel, at most {@code concurrency} at once.
 *       After compaction a key appears once per batch, so its events stay in order as long as
 *       batches are applied one after the other.</li>
 *   <li>Retries: transient errors are retried by the {@link Retrier}; when it gives up the event
 *       is RETRYABLE_FAILURE. Validation errors from DynamoDB are POISON.</li>
 * </ol>
 */
public final class ReplicaWriter implements AutoCloseable {

    private final ReplicaStore store;
    private final WriterSettings settings;
    private final Retrier retrier;
    private final Retrier.Listener retryListener;
    private final ExecutorService pool;

    public ReplicaWriter(ReplicaStore store, WriterSettings settings, Retrier retrier, Retrier.Listener retryListener) {
        this.store = store;
        this.settings = settings;
        this.retrier = retrier;
        this.retryListener = retryListener;
        this.pool = Executors.newFixedThreadPool(settings.concurrency(), daemonThreads());
    }

    public WriterSettings settings() {
        return settings;
    }

    /** Writes the batch and returns one outcome per event, in the batch's order. */
    public BatchResult write(List<ChangeEvent> events) {
        // The newest event per key wins; in a stream that is also the last one, but a batch
        // assembled out of order (a replay, a test) must not let an older event win.
        Map<ItemKey, Integer> winnerIndexByKey = new LinkedHashMap<>();
        for (int i = 0; i < events.size(); i++) {
            winnerIndexByKey.merge(events.get(i).keys(), i, (kept, candidate) ->
                    newer(events.get(candidate), events.get(kept)) ? candidate : kept);
        }

        Map<ItemKey, Future<EventOutcome>> pending = new HashMap<>();
        for (int index : winnerIndexByKey.values()) {
            ChangeEvent event = events.get(index);
            pending.put(event.keys(), pool.submit(() -> writeOne(event)));
        }

        Map<ItemKey, EventOutcome> winners = new HashMap<>();
        for (var entry : pending.entrySet()) {
            winners.put(entry.getKey(), await(entry.getValue(), events.get(winnerIndexByKey.get(entry.getKey()))));
        }

        List<EventOutcome> outcomes = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            ChangeEvent event = events.get(i);
            EventOutcome winner = winners.get(event.keys());
            if (winnerIndexByKey.get(event.keys()) == i) {
                outcomes.add(winner);
            } else if (winner.outcome() == WriteOutcome.RETRYABLE_FAILURE) {
                outcomes.add(new EventOutcome(event, WriteOutcome.RETRYABLE_FAILURE, "a later event for this key failed: " + winner.reason()));
            } else {
                outcomes.add(new EventOutcome(event, WriteOutcome.STALE, "superseded by " + winner.event().sequenceNumber() + " in the same batch"));
            }
        }
        return new BatchResult(outcomes);
    }

    private static boolean newer(ChangeEvent candidate, ChangeEvent kept) {
        return ReplicaVersion.of(candidate.sequenceNumber()).compareTo(ReplicaVersion.of(kept.sequenceNumber())) >= 0;
    }

    private EventOutcome writeOne(ChangeEvent event) {
        if (event.ttlDelete() && settings.ttlDeletes() == TtlDeletePolicy.SKIP) {
            return new EventOutcome(event, WriteOutcome.SKIPPED, "TTL delete kept by the pair's skip policy");
        }
        ReplicaVersion version = ReplicaVersion.of(event.sequenceNumber());
        try {
            WriteStatus status;
            if (event.kind().writesItem()) {
                Map<String, AttributeValue> item = replicaItem(event, version);
                boolean expectNew = event.kind() == ChangeKind.INSERT;
                status = retrier.call(() -> store.put(event.keys(), item, version, expectNew), retryListener);
            } else {
                status = retrier.call(() -> store.delete(event.keys(), version), retryListener);
            }
            return new EventOutcome(event, status == WriteStatus.APPLIED ? WriteOutcome.APPLIED : WriteOutcome.STALE, "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new EventOutcome(event, WriteOutcome.RETRYABLE_FAILURE, "interrupted");
        } catch (Exception e) {
            WriteOutcome outcome = ErrorClassifier.classify(e) == ErrorKind.FATAL ? WriteOutcome.POISON : WriteOutcome.RETRYABLE_FAILURE;
            return new EventOutcome(event, outcome, describe(e));
        }
    }

    private Map<String, AttributeValue> replicaItem(ChangeEvent event, ReplicaVersion version) {
        Map<String, AttributeValue> image = event.newImage().orElseThrow(() -> new PoisonException(
                event.kind() + " without a new image: the stream must carry NEW_AND_OLD_IMAGES or NEW_IMAGE"));
        Map<String, AttributeValue> item = new HashMap<>(image);
        item.put(settings.versionAttribute(), AttributeValue.fromS(version.value()));
        long size = ItemSize.of(item);
        if (size > ItemSize.MAX_ITEM_BYTES) {
            throw new PoisonException("item is " + size + " bytes with " + settings.versionAttribute()
                    + " added, over DynamoDB's " + ItemSize.MAX_ITEM_BYTES + "-byte limit");
        }
        return item;
    }

    private static EventOutcome await(Future<EventOutcome> future, ChangeEvent event) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            return new EventOutcome(event, WriteOutcome.RETRYABLE_FAILURE, "interrupted");
        } catch (ExecutionException e) {
            return new EventOutcome(event, WriteOutcome.RETRYABLE_FAILURE, describe(e.getCause()));
        }
    }

    private static String describe(Throwable error) {
        String message = error.getMessage();
        return error.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "replica-writer-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
