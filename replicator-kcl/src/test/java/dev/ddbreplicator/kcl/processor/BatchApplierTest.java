package dev.ddbreplicator.kcl.processor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbreplicator.core.model.ChangeEvent;
import dev.ddbreplicator.core.write.PairReplicator;
import dev.ddbreplicator.kcl.health.ShardProgress;
import dev.ddbreplicator.kcl.health.WorkerHealth;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatchApplierTest {

    private final FakeReplica replica = new FakeReplica();
    private final PairReplicator replicator = replica.replicator();
    private final StopSignal stop = new StopSignal();
    private final WorkerHealth health = new WorkerHealth("p", "app", "w", Clock.systemUTC(), Duration.ofSeconds(10), Duration.ofMinutes(1));
    private final ShardProgress progress = health.track("shard-1");

    @AfterEach
    void close() {
        replicator.close();
    }

    private BatchApplier applier(Supplier<PairReplicator> source, int keysPerSlice) {
        return new BatchApplier(source, keysPerSlice, BatchApplier.BACKOFF, stop, ceiling -> 1, Clock.systemUTC());
    }

    @Test
    void slicesKeepEveryEventOfAKeyTogetherInStreamOrder() {
        List<ChangeEvent> events = List.of(FakeReplica.put("a", 1), FakeReplica.put("b", 2), FakeReplica.put("a", 3),
                FakeReplica.put("c", 4), FakeReplica.put("b", 5), FakeReplica.put("d", 6), FakeReplica.put("a", 7));

        List<List<ChangeEvent>> slices = BatchApplier.slices(events, 2);

        assertThat(slices).hasSize(2);
        assertThat(slices.get(0)).extracting(ChangeEvent::sequenceNumber)
                .containsExactly(seq(1), seq(2), seq(3), seq(5), seq(7));
        assertThat(slices.get(1)).extracting(ChangeEvent::sequenceNumber).containsExactly(seq(4), seq(6));
    }

    @Test
    void aBatchIsWrittenWholeAndItsLastEventBecomesTheShardsPosition() {
        List<ChangeEvent> events = List.of(FakeReplica.put("a", 1), FakeReplica.put("b", 2), FakeReplica.put("a", 3));

        BatchApplier.Result result = applier(() -> replicator, 1).apply("shard-1", events, progress);

        assertThat(result).isEqualTo(BatchApplier.Result.DONE);
        assertThat(replica.versionOf("a")).isEqualTo(3);
        assertThat(replica.versionOf("b")).isEqualTo(2);
        assertThat(health.report().shards()).singleElement()
                .satisfies(shard -> assertThat(shard.lastAppliedSequence()).contains(seq(3)));
    }

    @Test
    void failingWritesAreRetriedUntilTheyAreDoneAndNothingIsLost() {
        replica.failuresLeft.set(7);
        List<ChangeEvent> events = List.of(FakeReplica.put("a", 1), FakeReplica.put("b", 2), FakeReplica.put("c", 3),
                FakeReplica.put("a", 4));

        BatchApplier.Result result = applier(() -> replicator, 2).apply("shard-1", events, progress);

        assertThat(result).isEqualTo(BatchApplier.Result.DONE);
        assertThat(replica.failuresLeft).hasValue(0);
        assertThat(replica.versionOf("a")).isEqualTo(4);
        assertThat(replica.versionOf("b")).isEqualTo(2);
        assertThat(replica.versionOf("c")).isEqualTo(3);
        assertThat(progress.failingSince()).as("recovered").isEmpty();
    }

    @Test
    void aStoppingWorkerEndsTheRetriesAndReportsTheBatchUnfinished() throws Exception {
        replica.down = true;
        List<ChangeEvent> events = List.of(FakeReplica.put("a", 1), FakeReplica.put("b", 2));
        BatchApplier applier = new BatchApplier(() -> replicator, 10, BatchApplier.BACKOFF, stop, ceiling -> ceiling, Clock.systemUTC());

        CompletableFuture<BatchApplier.Result> result = CompletableFuture.supplyAsync(() -> applier.apply("shard-1", events, progress));
        Thread.sleep(500);
        assertThat(result).as("still retrying while the replica is down").isNotDone();
        stop.stop();

        assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo(BatchApplier.Result.STOPPED);
        assertThat(progress.failingSince()).isPresent();
        assertThat(replica.items).isEmpty();
    }

    @Test
    void anExceptionFromTheReplicatorIsRetriedNeverThrown() {
        AtomicInteger calls = new AtomicInteger();
        Supplier<PairReplicator> flaky = () -> {
            if (calls.incrementAndGet() <= 2) {
                throw new IllegalStateException("registry lookup failed (test)");
            }
            return replicator;
        };

        BatchApplier.Result result = applier(flaky, 10).apply("shard-1", List.of(FakeReplica.put("a", 1)), progress);

        assertThat(result).isEqualTo(BatchApplier.Result.DONE);
        assertThat(calls).hasValue(3);
        assertThat(replica.versionOf("a")).isEqualTo(1);
    }

    private static String seq(long n) {
        return String.format("%021d", n);
    }
}
