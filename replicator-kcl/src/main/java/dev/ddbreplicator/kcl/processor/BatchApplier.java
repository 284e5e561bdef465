package dev.ddbreplicator.kcl.processor;

import dev.ddbreplicator.core.model.ChangeEvent;
import dev.ddbreplicator.core.model.ItemKey;
import dev.ddbreplicator.core.retry.RetryPolicy;
import dev.ddbreplicator.core.write.BatchResult;
import dev.ddbreplicator.core.write.EventOutcome;
import dev.ddbreplicator.core.write.PairReplicator;
import dev.ddbreplicator.core.write.WriteOutcome;
import dev.ddbreplicator.kcl.health.ShardProgress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one batch of a shard until every event in it is finished with (applied, stale, skipped
 * or dead-lettered).
 *
 * <p>The batch is written in slices of a few hundred keys, each slice holding every event of its
 * keys in stream order: the replicator still compacts each key fully, keys never race between
 * slices, and each finished slice is visible progress for {@code /health}, however large the
 * batch. When a write keeps failing, the unfinished part of the slice, from its first unfinished
 * event on, is tried again after a capped exponential backoff with full jitter (the core's
 * {@link RetryPolicy} semantics) for as long as it takes: a KCL processor must never give a batch
 * up, since KCL would move past it. Only a stopping worker ends the loop early; the batch is then
 * not checkpointed, so the shard's next owner reads it again.
 */
public final class BatchApplier {

    /** Between attempts at a failing slice: 200 ms doubling up to 5 s, so a recovered replica is noticed within seconds. */
    public static final RetryPolicy BACKOFF = new RetryPolicy(Integer.MAX_VALUE, Duration.ofMillis(200), Duration.ofSeconds(5));

    private static final Logger log = LoggerFactory.getLogger(BatchApplier.class);
    private static final Duration REPEAT_WARNING = Duration.ofSeconds(30);

    /** What became of a batch. */
    public enum Result {
        /** Every event is finished with: the batch may be checkpointed. */
        DONE,
        /** The worker is stopping and the batch is not finished: it must not be checkpointed. */
        STOPPED
    }

    private final Supplier<PairReplicator> replicator;
    private final int keysPerSlice;
    private final RetryPolicy backoff;
    private final StopSignal stop;
    private final LongUnaryOperator jitter;
    private final Clock clock;

    /**
     * @param keysPerSlice distinct keys written per slice; a few times the writer's concurrency keeps it busy
     */
    public BatchApplier(Supplier<PairReplicator> replicator, int keysPerSlice, StopSignal stop, Clock clock) {
        this(replicator, keysPerSlice, BACKOFF, stop, bound -> bound <= 0 ? 0 : ThreadLocalRandom.current().nextLong(bound + 1), clock);
    }

    /**
     * @param jitter given the ceiling in ms, the wait in ms
     */
    public BatchApplier(Supplier<PairReplicator> replicator, int keysPerSlice, RetryPolicy backoff, StopSignal stop,
                        LongUnaryOperator jitter, Clock clock) {
        if (keysPerSlice < 1) {
            throw new IllegalArgumentException("keys per slice must be positive, got " + keysPerSlice);
        }
        this.replicator = replicator;
        this.keysPerSlice = keysPerSlice;
        this.backoff = backoff;
        this.stop = stop;
        this.jitter = jitter;
        this.clock = clock;
    }

    public Result apply(String shardId, List<ChangeEvent> events, ShardProgress progress) {
        for (List<ChangeEvent> slice : slices(events, keysPerSlice)) {
            if (applySlice(shardId, slice, progress) == Result.STOPPED) {
                return Result.STOPPED;
            }
            progress.wrote();
        }
        progress.finished(events.get(events.size() - 1));
        return Result.DONE;
    }

    private Result applySlice(String shardId, List<ChangeEvent> slice, ShardProgress progress) {
        List<ChangeEvent> remaining = slice;
        Instant firstFailure = null;
        Instant lastWarning = null;
        for (int attempt = 1; ; attempt++) {
            String failure;
            try {
                progress.writing();
                BatchResult result = replicator.get().apply(remaining);
                int failedAt = firstUnfinished(result);
                if (failedAt == remaining.size()) {
                    if (firstFailure != null) {
                        log.info("shard {}: written after {} attempts over {} s", shardId, attempt,
                                Duration.between(firstFailure, clock.instant()).toSeconds());
                    }
                    return Result.DONE;
                }
                if (failedAt > 0) {
                    progress.wrote();
                }
                EventOutcome failed = result.outcomes().get(failedAt);
                failure = "event " + failed.event().sequenceNumber() + ": " + failed.reason();
                remaining = remaining.subList(failedAt, remaining.size());
            } catch (RuntimeException e) {
                // The replicator reports failures as outcomes; anything thrown is unexpected, but
                // still only a reason to try again, never to drop the batch.
                failure = e.toString();
            }
            progress.failing(failure);
            Instant now = clock.instant();
            if (firstFailure == null) {
                firstFailure = now;
                lastWarning = now;
                log.warn("shard {}: {} events not written yet ({}); retrying until they are", shardId, remaining.size(), failure);
            } else if (Duration.between(lastWarning, now).compareTo(REPEAT_WARNING) >= 0) {
                lastWarning = now;
                log.warn("shard {}: still failing after {} attempts over {} s: {}", shardId, attempt,
                        Duration.between(firstFailure, now).toSeconds(), failure);
            }
            if (stop.await(Duration.ofMillis(jitter.applyAsLong(backoff.ceiling(attempt).toMillis())))) {
                log.info("shard {}: stopping with {} events unwritten; the batch is not checkpointed and will be read again", shardId,
                        remaining.size());
                return Result.STOPPED;
            }
        }
    }

    /**
     * Splits a batch into slices of at most {@code keysPerSlice} distinct keys. Every event of a
     * key lands in the slice where the key first appears, in stream order, so slices share no key.
     */
    static List<List<ChangeEvent>> slices(List<ChangeEvent> events, int keysPerSlice) {
        Map<ItemKey, List<ChangeEvent>> sliceOfKey = new HashMap<>();
        List<List<ChangeEvent>> slices = new ArrayList<>();
        int keysInLast = 0;
        for (ChangeEvent event : events) {
            List<ChangeEvent> slice = sliceOfKey.get(event.keys());
            if (slice == null) {
                if (slices.isEmpty() || keysInLast == keysPerSlice) {
                    slices.add(new ArrayList<>());
                    keysInLast = 0;
                }
                slice = slices.get(slices.size() - 1);
                sliceOfKey.put(event.keys(), slice);
                keysInLast++;
            }
            slice.add(event);
        }
        return slices;
    }

    /** The index of the first event that must be retried, or the size when none must. */
    private static int firstUnfinished(BatchResult result) {
        List<EventOutcome> outcomes = result.outcomes();
        for (int i = 0; i < outcomes.size(); i++) {
            if (outcomes.get(i).outcome() == WriteOutcome.RETRYABLE_FAILURE) {
                return i;
            }
        }
        return outcomes.size();
    }
}
