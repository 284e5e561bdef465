package dev.ddbreplicator.core.status;

import dev.ddbreplicator.core.write.BatchObserver;
import dev.ddbreplicator.core.write.BatchResult;
import dev.ddbreplicator.core.write.EventOutcome;
import dev.ddbreplicator.core.write.WriteOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers a pair's outcomes in this process and adds them to the shared {@link StatusStore} at
 * most once per interval, so reporting costs one small write every few seconds, not one per
 * batch. A failed report keeps its counts for the next one; status never holds up replication.
 */
public final class StatusReporter implements BatchObserver {

    private static final Logger log = LoggerFactory.getLogger(StatusReporter.class);

    private final String pairId;
    private final StatusStore store;
    private final Clock clock;
    private final Duration interval;
    private long applied;
    private long stale;
    private long skipped;
    private long poison;
    private long retried;
    private String lastSequence;
    private long lagMillis = -1;
    private Instant lastFlush;

    public StatusReporter(String pairId, StatusStore store, Clock clock, Duration interval) {
        this.pairId = pairId;
        this.store = store;
        this.clock = clock;
        this.interval = interval;
        this.lastFlush = clock.instant();
    }

    /** Adds a written batch. */
    public synchronized void record(BatchResult result) {
        Instant now = clock.instant();
        for (EventOutcome outcome : result.outcomes()) {
            switch (outcome.outcome()) {
                case APPLIED -> applied++;
                case STALE -> stale++;
                case SKIPPED -> skipped++;
                case POISON -> poison++;
                case RETRYABLE_FAILURE -> { }
                default -> throw new IllegalStateException("unexpected outcome " + outcome.outcome());
            }
            if (outcome.outcome() != WriteOutcome.RETRYABLE_FAILURE) {
                lastSequence = outcome.event().sequenceNumber();
                lagMillis = Math.max(0, Duration.between(outcome.event().approximateCreationTime(), now).toMillis());
            }
        }
    }

    @Override
    public void written(BatchResult result) {
        record(result);
        flushIfDue();
    }

    @Override
    public synchronized void retried(int attempt, Throwable error) {
        retried++;
    }

    @Override
    public void close() {
        flush();
    }

    /** Reports if the interval has passed since the last report. */
    public void flushIfDue() {
        boolean due;
        synchronized (this) {
            due = !clock.instant().isBefore(lastFlush.plus(interval));
        }
        if (due) {
            flush();
        }
    }

    /** Reports now what has been gathered. */
    public void flush() {
        StatusDelta delta;
        synchronized (this) {
            delta = new StatusDelta(pairId, applied, stale, skipped, poison, retried, lastSequence, lagMillis);
            applied = stale = skipped = poison = retried = 0;
            lastSequence = null;
            lastFlush = clock.instant();
        }
        if (delta.isEmpty()) {
            return;
        }
        try {
            store.add(delta, clock.instant());
        } catch (RuntimeException e) {
            log.warn("pair {}: could not report status ({}); keeping the counts for the next report", pairId, e.toString());
            synchronized (this) {
                applied += delta.applied();
                stale += delta.stale();
                skipped += delta.skipped();
                poison += delta.poison();
                retried += delta.retried();
                if (lastSequence == null) {
                    lastSequence = delta.lastSequenceNumber();
                    lagMillis = delta.lagMillis();
                }
            }
        }
    }
}
