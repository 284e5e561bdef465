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
import java.util.Optional;
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
 *   <li>Validation: a put whose item, with the version attribute added, exceeds 400 KB, whose
 *       source item has an attribute of the version's name, or an insert without a new image, is
 *       POISON before anything is sent ({@link ReplicaItems}).</li>
 *   <li>Idempotence: every write goes through {@link ReplicaStore}, which writes only over an
 *       older version; a refused write is STALE, never an error.</li>
 *   <li>Concurrency: distinct keys are written in parallel, at most {@code concurrency} at once.
 *       After compaction a key appears once per batch, so its events stay in order as long as
 *       batches are applied one after the other. Inserts go to the store several to a call
 *       ({@link ReplicaStore#putAllNew}) when the batch has more of them than the writer has
 *       threads; what such a call does not settle is then written one by one.</li>
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

        List<ChangeEvent> singles = new ArrayList<>();
        List<ReplicaStore.NewItem> newItems = new ArrayList<>();
        Map<ItemKey, ChangeEvent> newItemEvents = new HashMap<>();
        for (int index : winnerIndexByKey.values()) {
            ChangeEvent event = events.get(index);
            Optional<ReplicaStore.NewItem> newItem = asNewItem(event);
            if (newItem.isPresent()) {
                newItems.add(newItem.get());
                newItemEvents.put(event.keys(), event);
            } else {
                singles.add(event);
            }
        }
        int perCall = Math.min(store.newItemsPerCall(), Math.max(1, (newItems.size() + settings.concurrency() - 1) / settings.concurrency()));
        if (perCall < 2) {
            newItems.forEach(item -> singles.add(newItemEvents.get(item.key())));
            newItems.clear();
        }

        Map<ItemKey, Future<EventOutcome>> pending = new HashMap<>();
        List<Group> groups = new ArrayList<>();
        for (int start = 0; start < newItems.size(); start += perCall) {
            List<ReplicaStore.NewItem> group = List.copyOf(newItems.subList(start, Math.min(newItems.size(), start + perCall)));
            groups.add(new Group(group, pool.submit(() -> store.putAllNew(group))));
        }
        for (ChangeEvent event : singles) {
            pending.put(event.keys(), pool.submit(() -> writeOne(event)));
        }

        Map<ItemKey, EventOutcome> winners = new HashMap<>();
        for (Group group : groups) {
            Map<ItemKey, WriteStatus> settled = awaitSettled(group.settled());
            for (ReplicaStore.NewItem item : group.items()) {
                ChangeEvent event = newItemEvents.get(item.key());
                WriteStatus status = settled.get(item.key());
                if (status != null) {
                    winners.put(item.key(), new EventOutcome(event, status == WriteStatus.APPLIED ? WriteOutcome.APPLIED : WriteOutcome.STALE, ""));
                } else {
                    // Not settled by the grouped call: the one-by-one path retries it or finds it poison.
                    pending.put(item.key(), pool.submit(() -> writeOne(event)));
                }
            }
        }
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

    /** Inserts sent to the store in one call, and what that call settles. */
    private record Group(List<ReplicaStore.NewItem> items, Future<Map<ItemKey, WriteStatus>> settled) {
    }

    /**
     * The put of an insert, when it can go with others in one call to the store: an insert whose
     * replica item is valid. Anything else (including what is poison) takes the one-by-one path.
     */
    private Optional<ReplicaStore.NewItem> asNewItem(ChangeEvent event) {
        if (event.kind() != ChangeKind.INSERT || store.newItemsPerCall() < 2) {
            return Optional.empty();
        }
        ReplicaVersion version = ReplicaVersion.of(event.sequenceNumber());
        try {
            return Optional.of(new ReplicaStore.NewItem(event.keys(), replicaItem(event, version), version));
        } catch (PoisonException e) {
            return Optional.empty();
        }
    }

    /** What a grouped call settled; nothing if it was interrupted or failed, so its keys go one by one (a retry). */
    private Map<ItemKey, WriteStatus> awaitSettled(Future<Map<ItemKey, WriteStatus>> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        } catch (ExecutionException e) {
            retryListener.retrying(1, e.getCause());
            return Map.of();
        }
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
        return ReplicaItems.of(image, settings.versionAttribute(), version);
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
