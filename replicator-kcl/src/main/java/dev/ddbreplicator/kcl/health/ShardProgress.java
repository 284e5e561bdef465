package dev.ddbreplicator.kcl.health;

import dev.ddbreplicator.core.model.ChangeEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What the processor of one shard in this worker did lately. Its KCL thread writes it, the
 * health endpoint reads it: the fields are volatile and each is meaningful on its own.
 *
 * <p>A shard is in trouble when its writes have been failing for too long, when one write has
 * been running for far too long, or when it has been silent (no poll, no write) for too long.
 * A write that is merely slow, on a loaded host or a big batch, is not trouble.
 */
public final class ShardProgress {

    private final String shardId;
    private final Clock clock;
    private final Instant since;
    private volatile Instant lastPoll;
    private volatile Instant lastWrite;
    private volatile Instant writingSince;
    private volatile Instant failingSince;
    private volatile String lastError;
    private volatile String lastSequence;
    private volatile long lagMillis = -1;

    ShardProgress(String shardId, Clock clock) {
        this.shardId = shardId;
        this.clock = clock;
        this.since = clock.instant();
    }

    public String shardId() {
        return shardId;
    }

    /** A poll of the stream succeeded (with or without records). */
    public void polled() {
        lastPoll = clock.instant();
    }

    /** A write to the replica begins. */
    public void writing() {
        writingSince = clock.instant();
    }

    /** Part of the current batch was written (every event of that part finished with). */
    public void wrote() {
        lastWrite = clock.instant();
        writingSince = null;
        failingSince = null;
    }

    /** The whole batch up to and including {@code last} is finished with (applied, stale, skipped or dead-lettered). */
    public void finished(ChangeEvent last) {
        Instant now = clock.instant();
        lastWrite = now;
        lastSequence = last.sequenceNumber();
        lagMillis = Math.max(0, Duration.between(last.approximateCreationTime(), now).toMillis());
        writingSince = null;
        failingSince = null;
    }

    /** Writing the current batch failed and will be retried. */
    public void failing(String reason) {
        if (failingSince == null) {
            failingSince = clock.instant();
        }
        lastError = reason;
        writingSince = null;
    }

    /** Whether the current batch is failing, and since when. */
    public Optional<Instant> failingSince() {
        return Optional.ofNullable(failingSince);
    }

    /**
     * What is wrong with this shard now, if anything.
     *
     * @param maxSilence how long writes may keep failing, or the shard go without a successful poll or write
     * @param maxWrite how long one write attempt may run
     */
    Optional<String> trouble(Instant now, Duration maxSilence, Duration maxWrite) {
        Instant failing = failingSince;
        if (failing != null && Duration.between(failing, now).compareTo(maxSilence) > 0) {
            return Optional.of("shard " + shardId + ": writes failing for " + Duration.between(failing, now).toSeconds() + " s (last error: "
                    + lastError + ")");
        }
        Instant writing = writingSince;
        if (writing != null) {
            Duration running = Duration.between(writing, now);
            return running.compareTo(maxWrite) > 0
                    ? Optional.of("shard " + shardId + ": one write has been running for " + running.toSeconds() + " s")
                    : Optional.empty();
        }
        Duration silent = Duration.between(lastActivity(), now);
        if (failing == null && silent.compareTo(maxSilence) > 0) {
            return Optional.of("shard " + shardId + ": no successful poll or write for " + silent.toSeconds() + " s");
        }
        return Optional.empty();
    }

    private Instant lastActivity() {
        Instant latest = since;
        Instant poll = lastPoll;
        Instant write = lastWrite;
        if (poll != null && poll.isAfter(latest)) {
            latest = poll;
        }
        if (write != null && write.isAfter(latest)) {
            latest = write;
        }
        return latest;
    }

    ShardReport report(Instant now) {
        Instant failing = failingSince;
        return new ShardReport(shardId, Optional.ofNullable(lastSequence), ago(lastPoll, now), ago(lastWrite, now),
                failing == null ? -1 : Duration.between(failing, now).toMillis(),
                failing == null ? Optional.empty() : Optional.ofNullable(lastError), lagMillis);
    }

    private static long ago(Instant then, Instant now) {
        return then == null ? -1 : Math.max(0, Duration.between(then, now).toMillis());
    }
}
