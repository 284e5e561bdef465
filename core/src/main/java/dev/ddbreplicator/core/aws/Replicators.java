package dev.ddbreplicator.core.aws;

import dev.ddbreplicator.core.deadletter.DeadLetterStore;
import dev.ddbreplicator.core.metrics.ReplicationMetrics;
import dev.ddbreplicator.core.pair.TablePair;
import dev.ddbreplicator.core.retry.Retrier;
import dev.ddbreplicator.core.retry.RetryPolicy;
import dev.ddbreplicator.core.status.StatusReporter;
import dev.ddbreplicator.core.status.StatusStore;
import dev.ddbreplicator.core.write.BatchObserver;
import dev.ddbreplicator.core.write.DynamoDbReplicaStore;
import dev.ddbreplicator.core.write.PairReplicator;
import dev.ddbreplicator.core.write.ReplicaWriter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wires a {@link PairReplicator} for a pair from AWS clients: the replica store in the replica's
 * region (as the pair's role, if any), its tombstone table, the writer, metrics and dead letters.
 */
public final class Replicators {

    private final AwsClients clients;
    private final ReplicatorSettings settings;
    private final DeadLetterStore deadLetters;
    private final MeterRegistry registry;
    private final Clock clock;
    private final Optional<StatusStore> status;
    private final Set<String> tombstoneTablesChecked = ConcurrentHashMap.newKeySet();

    /**
     * @param status where to report each pair's counts and position; empty reports nothing
     */
    public Replicators(AwsClients clients, ReplicatorSettings settings, DeadLetterStore deadLetters, MeterRegistry registry, Clock clock,
                       Optional<StatusStore> status) {
        this.clients = clients;
        this.settings = settings;
        this.deadLetters = deadLetters;
        this.registry = registry;
        this.clock = clock;
        this.status = status;
    }

    /** A replicator for the pair; the caller closes it. */
    public PairReplicator create(TablePair pair) {
        String checkKey = pair.replicaRegion() + "|" + pair.replicaRoleArn().orElse("") + "|" + settings.tombstoneTable();
        // Remembered only once the check succeeded: a region out of reach at start is checked again next time.
        boolean ensure = !tombstoneTablesChecked.contains(checkKey);
        DynamoDbReplicaStore store = ReplicaStores.create(clients, settings, pair, clock, ensure);
        tombstoneTablesChecked.add(checkKey);
        ReplicationMetrics metrics = new ReplicationMetrics(registry, pair.id());
        BatchObserver observer = status.<BatchObserver>map(s -> new StatusReporter(pair.id(), s, clock, settings.statusInterval()))
                .orElse(BatchObserver.NONE);
        Retrier.Listener retries = (attempt, error) -> {
            metrics.retryListener().retrying(attempt, error);
            observer.retried(attempt, error);
        };
        ReplicaWriter writer = new ReplicaWriter(store, pair.writerSettings(settings.concurrency()), new Retrier(RetryPolicy.WRITE), retries);
        return new PairReplicator(pair, writer, deadLetters, metrics, clock, observer);
    }
}
