package dev.ddbreplicator.kcl.processor;

import dev.ddbreplicator.core.pair.TablePair;
import dev.ddbreplicator.core.write.PairReplicator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replicator of the worker's pair, rebuilt when the pair's settings change in the registry
 * (version attribute, TTL-delete policy, role, state), so a change takes effect without a
 * restart. The stream cannot change under a running worker: a pair that now names another source
 * keeps its old settings here and asks for a restart. Shared by every shard processor.
 */
public final class PairReplicatorSource implements Supplier<PairReplicator>, AutoCloseable {

    /** Looks the pair up again; empty when it is no longer registered. */
    @FunctionalInterface
    public interface PairLookup {
        Optional<TablePair> find(String pairId);
    }

    private static final Logger log = LoggerFactory.getLogger(PairReplicatorSource.class);

    private final Function<TablePair, PairReplicator> factory;
    private final Optional<PairLookup> lookup;
    private final Clock clock;
    private final Duration checkEvery;
    private final List<PairReplicator> retired = new ArrayList<>();
    private volatile PairReplicator current;
    private Instant nextCheck;
    private boolean warnedMissing;

    /**
     * @param lookup where to look for changes; empty for a pair given explicitly, which never changes
     * @param checkEvery how often to look (the registry caches its answers, so this is cheap)
     */
    public PairReplicatorSource(TablePair pair, Function<TablePair, PairReplicator> factory, Optional<PairLookup> lookup, Clock clock,
                                Duration checkEvery) {
        this.factory = factory;
        this.lookup = lookup;
        this.clock = clock;
        this.checkEvery = checkEvery;
        this.current = factory.apply(pair);
        this.nextCheck = clock.instant().plus(checkEvery);
    }

    @Override
    public PairReplicator get() {
        if (lookup.isPresent()) {
            refreshIfDue();
        }
        return current;
    }

    /** The replicator in use now, without looking for changes. */
    public PairReplicator current() {
        return current;
    }

    private synchronized void refreshIfDue() {
        Instant now = clock.instant();
        if (now.isBefore(nextCheck)) {
            return;
        }
        nextCheck = now.plus(checkEvery);
        TablePair old = current.pair();
        try {
            Optional<TablePair> latest = lookup.get().find(old.id());
            if (latest.isEmpty()) {
                if (!warnedMissing) {
                    warnedMissing = true;
                    log.warn("pair {} is no longer registered; replicating on with its last settings until this worker is stopped", old.id());
                }
                return;
            }
            warnedMissing = false;
            TablePair pair = latest.get();
            if (pair.equals(old)) {
                return;
            }
            if (!pair.sourceTable().equals(old.sourceTable()) || !pair.sourceRegion().equals(old.sourceRegion())) {
                log.error("pair {} now names source {} in {}, but this worker reads the stream of {} in {}; restart it to follow",
                        pair.id(), pair.sourceTable(), pair.sourceRegion(), old.sourceTable(), old.sourceRegion());
                return;
            }
            PairReplicator next = factory.apply(pair);
            // The old one may be in use by another shard's batch right now; it is closed on stop.
            retired.add(current);
            current = next;
            log.info("pair {} changed in the registry; now replicating as {}", pair.id(), pair);
        } catch (RuntimeException e) {
            log.warn("pair {}: could not look for changes in the registry ({}); keeping the current settings", old.id(), e.toString());
        }
    }

    @Override
    public synchronized void close() {
        retired.forEach(PairReplicator::close);
        retired.clear();
        current.close();
    }
}
