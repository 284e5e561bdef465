package dev.ddbreplicator.kcl.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether the worker is healthy, from its state and what each shard it holds did lately.
 *
 * <p>Healthy means: KCL is starting (for at most {@code startupGrace}) or running, and no shard
 * whose processor runs here is in trouble: writes failing for longer than {@code maxSilence}, no
 * successful poll or write for longer than that, or one write running for minutes (see
 * {@link ShardProgress}). A slow write on a loaded host is not trouble; a failing one is, once it
 * has failed for that long, and that is what the supervisor acts on. A worker holding no shard
 * (another host has them all) is healthy: it is a standby.
 */
public final class WorkerHealth {

    private static final Logger log = LoggerFactory.getLogger(WorkerHealth.class);
    /** One write attempt is bounded by SDK timeouts and a few quick retries; running this long means it hangs. */
    private static final Duration MAX_WRITE = Duration.ofMinutes(5);

    private final String pairId;
    private final String application;
    private final String workerId;
    private final Clock clock;
    private final Duration maxSilence;
    private final Duration startupGrace;
    private final Instant createdAt;
    private final Map<String, ShardProgress> shards = new ConcurrentHashMap<>();
    private volatile WorkerState state = WorkerState.STARTING;
    private volatile String failure;
    private volatile Supplier<List<String>> leases = List::of;
    private volatile LongSupplier lagMillis = () -> -1;

    public WorkerHealth(String pairId, String application, String workerId, Clock clock, Duration maxSilence, Duration startupGrace) {
        this.pairId = pairId;
        this.application = application;
        this.workerId = workerId;
        this.clock = clock;
        this.maxSilence = maxSilence;
        this.startupGrace = startupGrace;
        this.createdAt = clock.instant();
    }

    /** Starts following a shard whose processor was just initialized here. */
    public ShardProgress track(String shardId) {
        ShardProgress progress = new ShardProgress(shardId, clock);
        shards.put(shardId, progress);
        return progress;
    }

    /** Stops following a shard (ended, lease lost, or shut down). */
    public void untrack(ShardProgress progress) {
        shards.remove(progress.shardId(), progress);
    }

    public void state(WorkerState newState) {
        WorkerState old = state;
        if (old == WorkerState.FAILED || old == newState) {
            return;
        }
        // Stopping is final: KCL's own late state reports must not make a stopping worker look alive again.
        if ((old == WorkerState.STOPPING || old == WorkerState.STOPPED) && newState != WorkerState.STOPPED) {
            return;
        }
        state = newState;
        log.info("worker {} of {}: {}", workerId, application, newState);
    }

    public WorkerState state() {
        return state;
    }

    public void failed(String why) {
        failure = why;
        state = WorkerState.FAILED;
        log.error("worker {} of {} failed: {}", workerId, application, why);
    }

    /** Where to read the lease keys this worker holds, once KCL runs. */
    public void leasesFrom(Supplier<List<String>> source) {
        this.leases = source;
    }

    /** Where to read the pair's current lag. */
    public void lagFrom(LongSupplier source) {
        this.lagMillis = source;
    }

    public HealthReport report() {
        Instant now = clock.instant();
        WorkerState current = state;
        List<ShardProgress> tracked = new ArrayList<>(shards.values());
        tracked.sort(Comparator.comparing(ShardProgress::shardId));
        Optional<String> reason = switch (current) {
            case STARTING -> Duration.between(createdAt, now).compareTo(startupGrace) > 0
                    ? Optional.of("KCL has not finished starting after " + startupGrace.toSeconds() + " s")
                    : Optional.empty();
            case RUNNING -> troubledShard(tracked, now);
            case STOPPING -> Optional.of("stopping");
            case STOPPED -> Optional.of("stopped");
            case FAILED -> Optional.of("failed: " + failure);
        };
        List<String> held;
        try {
            held = leases.get();
        } catch (RuntimeException e) {
            held = List.of();
        }
        return new HealthReport(reason.isEmpty(), current, reason, pairId, application, workerId, held,
                tracked.stream().map(p -> p.report(now)).toList(), lagMillis.getAsLong());
    }

    private Optional<String> troubledShard(List<ShardProgress> tracked, Instant now) {
        Duration maxWrite = maxSilence.compareTo(MAX_WRITE) > 0 ? maxSilence : MAX_WRITE;
        for (ShardProgress shard : tracked) {
            Optional<String> trouble = shard.trouble(now, maxSilence, maxWrite);
            if (trouble.isPresent()) {
                return trouble;
            }
        }
        return Optional.empty();
    }
}
