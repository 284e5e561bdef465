package dev.ddbreplicator.core.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbreplicator.core.deadletter.DeadLetter;
import dev.ddbreplicator.core.deadletter.DeadLetterStore;
import dev.ddbreplicator.core.model.ChangeEvent;
import dev.ddbreplicator.core.pair.TablePair;
import dev.ddbreplicator.core.write.BatchResult;
import dev.ddbreplicator.core.write.EventOutcome;
import dev.ddbreplicator.core.write.PairReplicator;
import dev.ddbreplicator.core.write.WriteOutcome;
import dev.ddbreplicator.testkit.LocalRegionsExtension;
import dev.ddbreplicator.testkit.TableComparer;
import dev.ddbreplicator.testkit.TableDiff;
import dev.ddbreplicator.testkit.TableShape;
import dev.ddbreplicator.testkit.TestTables;
import dev.ddbreplicator.testkit.Workload;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Duplicates, replays and two writers at once, on real tables: the replica is watched after
 * every batch (and all the time while two writers race) and must never move backwards.
 */
class IdempotenceTest {

    @RegisterExtension
    static final LocalRegionsExtension AWS = LocalRegionsExtension.of("us-east-1", "eu-west-1");

    private static final DeadLetterStore NO_POISON_EXPECTED = new DeadLetterStore() {
        @Override
        public void put(DeadLetter letter) {
            throw new AssertionError("unexpected poison: " + letter.reason());
        }

        @Override
        public List<DeadLetter> list(String pairId) {
            return List.of();
        }

        @Override
        public void delete(String pairId, String sequenceNumber) {
        }
    };

    private static LocalReplication local;
    private static List<ChangeEvent> events;

    @BeforeAll
    static void recordAWorkload() {
        local = new LocalReplication(AWS.source(), AWS.replica(), Optional.empty());
        TestTables.createWithStream(local.sourceClient(), "source", TableShape.HASH_ONLY);
        // Few keys, many changes each: puts, updates and deletes of the same keys interleave.
        new Workload(TableShape.HASH_ONLY, 150, 5, 0.4, 0.35).run(local.sourceClient(), "source", 2500, 3);
        events = local.streamEvents("source");
        assertThat(events).hasSizeGreaterThan(2000);
    }

    @AfterAll
    static void unwire() {
        local.close();
    }

    @Test
    void recordsDeliveredTwiceLeaveTheReplicaEqualAndTheSecondDeliveryChangesNothing() {
        String table = replicaTable("twice");
        ReplicaHistory history = new ReplicaHistory(events, "_rv");
        try (PairReplicator replicator = local.replicator(pair(table), NO_POISON_EXPECTED)) {
            applyWatched(replicator, events, history, table);
            long appliedBefore = (long) replicator.metrics().count(WriteOutcome.APPLIED);

            applyWatched(replicator, events, history, table);

            assertThat((long) replicator.metrics().count(WriteOutcome.APPLIED)).isEqualTo(appliedBefore);
        }
        assertEqual(table);
    }

    @Test
    void aReplayFromAnOlderPositionNeverMovesTheReplicaBackwards() {
        String table = replicaTable("replay");
        ReplicaHistory history = new ReplicaHistory(events, "_rv");
        try (PairReplicator replicator = local.replicator(pair(table), NO_POISON_EXPECTED)) {
            applyWatched(replicator, events, history, table);
            // A crash lost the checkpoint: the second half is delivered again, then the whole stream.
            applyWatched(replicator, events.subList(events.size() / 2, events.size()), history, table);
            applyWatched(replicator, events.subList(events.size() / 3, events.size()), history, table);
        }
        assertThat(history.observations()).isGreaterThan(40);
        assertEqual(table);
    }

    @Test
    void twoWritersApplyingASplitOfTheRecordsInterleavedAndOutOfOrderEndEqualWithoutGoingBack() throws Exception {
        String table = replicaTable("split");
        ReplicaHistory history = new ReplicaHistory(events, "_rv");
        Random random = new Random(42);
        List<ChangeEvent> first = new ArrayList<>();
        List<ChangeEvent> second = new ArrayList<>();
        events.forEach(e -> (random.nextBoolean() ? first : second).add(e));

        try (PairReplicator a = local.replicator(pair(table), NO_POISON_EXPECTED);
             PairReplicator b = local.replicator(pair(table), NO_POISON_EXPECTED)) {
            CompletableFuture<Void> writerA = CompletableFuture.runAsync(() -> applyShuffled(a, first, new Random(1)));
            CompletableFuture<Void> writerB = CompletableFuture.runAsync(() -> applyShuffled(b, second, new Random(2)));
            while (!(writerA.isDone() && writerB.isDone())) {
                observe(history, table);
            }
            writerA.get();
            writerB.get();
            observe(history, table);

            assertThat(a.metrics().count(WriteOutcome.STALE) + b.metrics().count(WriteOutcome.STALE)).isPositive();
        }
        assertThat(history.observations()).isGreaterThan(3);
        assertEqual(table);
    }

    /** Applies in batches whose order, and whose events' order, is shuffled. */
    private static void applyShuffled(PairReplicator replicator, List<ChangeEvent> mine, Random random) {
        List<List<ChangeEvent>> batches = new ArrayList<>();
        for (int i = 0; i < mine.size(); i += 50) {
            List<ChangeEvent> batch = new ArrayList<>(mine.subList(i, Math.min(mine.size(), i + 50)));
            Collections.shuffle(batch, random);
            batches.add(batch);
        }
        Collections.shuffle(batches, random);
        for (List<ChangeEvent> batch : batches) {
            BatchResult result;
            do {
                result = replicator.apply(batch);
            } while (!result.isComplete());
        }
    }

    private static void applyWatched(PairReplicator replicator, List<ChangeEvent> batchSource, ReplicaHistory history, String table) {
        for (int i = 0; i < batchSource.size(); i += 100) {
            List<ChangeEvent> batch = batchSource.subList(i, Math.min(batchSource.size(), i + 100));
            BatchResult result = replicator.apply(batch);
            assertThat(result.outcomes()).extracting(EventOutcome::outcome).doesNotContain(WriteOutcome.RETRYABLE_FAILURE, WriteOutcome.POISON);
            observe(history, table);
        }
    }

    private static void observe(ReplicaHistory history, String table) {
        history.observe(ReplicaHistory.snapshot(local.replicaItems(table), List.of("pk"), "_rv"));
        assertThat(history.problems()).isEmpty();
    }

    private static String replicaTable(String name) {
        TestTables.create(local.replicaClient(), name, TableShape.HASH_ONLY);
        return name;
    }

    private static TablePair pair(String replicaTable) {
        return local.pair("p-" + replicaTable, "source", replicaTable);
    }

    private static void assertEqual(String table) {
        TableDiff diff = new TableComparer(Set.of("_rv")).compare(local.sourceClient(), "source", local.replicaClient(), table);
        assertThat(diff.isEqual()).as(diff.toString()).isTrue();
    }
}
