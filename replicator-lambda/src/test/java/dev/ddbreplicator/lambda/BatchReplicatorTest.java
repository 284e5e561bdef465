package dev.ddbreplicator.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbreplicator.core.deadletter.DeadLetter;
import dev.ddbreplicator.core.deadletter.DeadLetterStore;
import dev.ddbreplicator.core.metrics.ReplicationMetrics;
import dev.ddbreplicator.core.model.ChangeEvent;
import dev.ddbreplicator.core.model.ChangeKind;
import dev.ddbreplicator.core.model.ItemKey;
import dev.ddbreplicator.core.pair.TablePair;
import dev.ddbreplicator.core.pair.TtlDeletePolicy;
import dev.ddbreplicator.core.retry.PoisonException;
import dev.ddbreplicator.core.retry.Retrier;
import dev.ddbreplicator.core.retry.RetryPolicy;
import dev.ddbreplicator.core.write.BatchObserver;
import dev.ddbreplicator.core.write.PairReplicator;
import dev.ddbreplicator.core.write.ReplicaStore;
import dev.ddbreplicator.core.write.ReplicaVersion;
import dev.ddbreplicator.core.write.ReplicaWriter;
import dev.ddbreplicator.core.write.WriteStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The invocation logic on in-memory replicas: which record Lambda must retry from, and what is logged. */
class BatchReplicatorTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2026-01-01T00:00:00.000";

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final List<DeadLetter> letters = new CopyOnWriteArrayList<>();
    private final Map<String, MemoryStore> stores = new HashMap<>();
    private final AtomicInteger created = new AtomicInteger();
    private final AtomicInteger refreshed = new AtomicInteger();
    private List<TablePair> registered = new ArrayList<>();

    @Test
    void aBatchThatAllLandsAsksForNoRetryAndLogsItsCountsAndLag() {
        registered = List.of(pair("orders-eu", TtlDeletePolicy.REPLICATE));

        BatchReport report = replicator().replicate(List.of(batch(put("a", 1), put("b", 2), remove("a", 3))));

        assertThat(report.retryFrom()).isEmpty();
        assertThat(report.toResponse().getBatchItemFailures()).isEmpty();
        assertThat(stores.get("orders-eu").versions).containsOnlyKeys(key("b"));
        assertThat(lines).singleElement().asString()
                .startsWith("{\"event\":\"batch\",\"level\":\"INFO\",\"table\":\"orders\",\"stream\":\"" + ARN + "\",\"records\":3,")
                .contains("\"firstSequence\":\"1\",\"lastSequence\":\"3\"")
                .contains("\"lagMsMax\":60000,\"lagMsLast\":60000")
                .contains("{\"pair\":\"orders-eu\",\"applied\":2,\"stale\":1,\"skipped\":0,\"poison\":0,\"failed\":0}");
    }

    @Test
    void poisonIsDeadLetteredAndNeverFailsTheBatch() {
        registered = List.of(pair("orders-eu", TtlDeletePolicy.REPLICATE));
        store("orders-eu").poison.add(key("bad"));

        BatchReport report = replicator().replicate(List.of(batch(put("a", 1), put("bad", 2), put("c", 3))));

        assertThat(report.retryFrom()).isEmpty();
        assertThat(letters).singleElement().satisfies(l -> assertThat(l.event().sequenceNumber()).isEqualTo("2"));
        assertThat(store("orders-eu").versions).containsOnlyKeys(key("a"), key("c"));
        assertThat(lines.get(0)).contains("\"poison\":1,\"failed\":0");
    }

    @Test
    void theFirstRetryableFailureAcrossEveryPairOfTheTableIsWhereLambdaRetriesFrom() {
        registered = List.of(pair("orders-eu", TtlDeletePolicy.REPLICATE), pair("orders-ap", TtlDeletePolicy.REPLICATE));
        store("orders-eu").failing.add(key("e"));
        store("orders-ap").failing.add(key("c"));

        BatchReport report = replicator().replicate(List.of(batch(put("a", 1), put("b", 2), put("c", 3), put("d", 4), put("e", 5))));

        assertThat(report.retryFrom()).contains("3");
        assertThat(report.toResponse().getBatchItemFailures()).singleElement()
                .satisfies(f -> assertThat(f.getItemIdentifier()).isEqualTo("3"));
        // Each pair wrote everything else: a retry from 3 replays those writes harmlessly.
        assertThat(store("orders-eu").versions).containsOnlyKeys(key("a"), key("b"), key("c"), key("d"));
        assertThat(store("orders-ap").versions).containsOnlyKeys(key("a"), key("b"), key("d"), key("e"));
        assertThat(lines.get(0)).contains("\"level\":\"WARN\"", "\"retryFrom\":\"3\"}", "\"pair\":\"orders-eu\"", "\"retryFrom\":\"5\"",
                "SdkClientException: replica unreachable");
    }

    @Test
    void aTableWithoutAPairFailsTheWholeBatchAndSaysSo() {
        registered = List.of(pair("orders-eu", TtlDeletePolicy.REPLICATE));

        BatchReport report = replicator().replicate(List.of(new SourceBatch(ARN.replace("table/orders", "table/invoices"), "invoices",
                Optional.of("us-east-1"), List.of(event("invoices", "x", 7, ChangeKind.INSERT), event("invoices", "y", 8, ChangeKind.INSERT)))));

        assertThat(report.retryFrom()).contains("7");
        assertThat(refreshed).as("the pairs are read again for the retry").hasValue(1);
        assertThat(created).hasValue(0);
        assertThat(lines).singleElement().asString().contains("\"level\":\"ERROR\"",
                "\"error\":\"no pair replicates table invoices in us-east-1: nothing is written and Lambda retries the batch; "
                        + "register one with 'ddb-replicator pairs add'\"");
    }

    @Test
    void aPairOfASameNamedTableInAnotherRegionIsNotUsed() {
        TablePair elsewhere = TablePair.of("orders-west", "orders", "us-west-2", "orders", "eu-west-1", NOW);
        registered = List.of(elsewhere);

        BatchReport report = replicator().replicate(List.of(batch(put("a", 1))));

        assertThat(report.retryFrom()).contains("1");
        assertThat(created).hasValue(0);
    }

    @Test
    void anUnreadableControlTableFailsTheBatch() {
        BatchReplicator replicator = new BatchReplicator(new BatchReplicator.Pairs() {
            @Override
            public List<TablePair> ofSourceTable(String table) {
                throw SdkClientException.create("control table unreachable");
            }

            @Override
            public void refresh() {
            }
        }, this::replicator, InvocationMetrics.none(), lines::add, CLOCK, () -> { });

        BatchReport report = replicator.replicate(List.of(batch(put("a", 1), put("b", 2))));

        assertThat(report.retryFrom()).contains("1");
        assertThat(lines.get(0)).contains("cannot read the pairs from the control table (control table unreachable)");
    }

    @Test
    void aChangedPairGetsANewReplicatorAndAnUnchangedOneKeepsItsOwn() {
        TablePair pair = pair("orders-eu", TtlDeletePolicy.REPLICATE);
        registered = List.of(pair);
        BatchReplicator replicator = replicator();

        replicator.replicate(List.of(batch(put("a", 1))));
        replicator.replicate(List.of(batch(put("a", 2))));
        assertThat(created).hasValue(1);

        registered = List.of(pair.withSettings(Optional.empty(), "_rv", TtlDeletePolicy.SKIP));
        replicator.replicate(List.of(batch(put("a", 3))));
        assertThat(created).hasValue(2);
    }

    private BatchReplicator replicator() {
        return new BatchReplicator(new BatchReplicator.Pairs() {
            @Override
            public List<TablePair> ofSourceTable(String table) {
                return registered.stream().filter(p -> p.sourceTable().equals(table)).toList();
            }

            @Override
            public void refresh() {
                refreshed.incrementAndGet();
            }
        }, this::replicator, InvocationMetrics.none(), lines::add, CLOCK, () -> { });
    }

    private PairReplicator replicator(TablePair pair) {
        created.incrementAndGet();
        ReplicaWriter writer = new ReplicaWriter(store(pair.id()), pair.writerSettings(4),
                new Retrier(new RetryPolicy(2, Duration.ZERO, Duration.ZERO)), Retrier.Listener.NONE);
        return new PairReplicator(pair, writer, new MemoryLetters(), new ReplicationMetrics(new SimpleMeterRegistry(), pair.id()), CLOCK,
                BatchObserver.NONE);
    }

    private MemoryStore store(String pairId) {
        return stores.computeIfAbsent(pairId, id -> new MemoryStore());
    }

    private static TablePair pair(String id, TtlDeletePolicy ttl) {
        return TablePair.of(id, "orders", "us-east-1", "orders-" + id, "eu-west-1", NOW)
                .withSettings(Optional.empty(), "_rv", ttl);
    }

    private static SourceBatch batch(ChangeEvent... events) {
        return new SourceBatch(ARN, "orders", Optional.of("us-east-1"), List.of(events));
    }

    private static ChangeEvent put(String id, long sequence) {
        return event("orders", id, sequence, ChangeKind.MODIFY);
    }

    private static ChangeEvent remove(String id, long sequence) {
        return event("orders", id, sequence, ChangeKind.REMOVE);
    }

    private static ChangeEvent event(String table, String id, long sequence, ChangeKind kind) {
        Map<String, AttributeValue> image = new HashMap<>(key(id).attributes());
        image.put("n", AttributeValue.fromN(Long.toString(sequence)));
        return new ChangeEvent(table, key(id), Optional.empty(), kind == ChangeKind.REMOVE ? Optional.empty() : Optional.of(image), kind,
                Long.toString(sequence), NOW.minusSeconds(60), false);
    }

    private static ItemKey key(String id) {
        return new ItemKey(Map.of("pk", AttributeValue.fromS(id)));
    }

    /** A replica in memory, written by version; some keys fail retryably, some are poison. */
    private static final class MemoryStore implements ReplicaStore {
        final Map<ItemKey, ReplicaVersion> versions = new java.util.concurrent.ConcurrentHashMap<>();
        final Set<ItemKey> failing = java.util.concurrent.ConcurrentHashMap.newKeySet();
        final Set<ItemKey> poison = java.util.concurrent.ConcurrentHashMap.newKeySet();

        @Override
        public WriteStatus put(ItemKey key, Map<String, AttributeValue> item, ReplicaVersion version, boolean expectNew) {
            check(key);
            ReplicaVersion current = versions.get(key);
            if (current != null && !version.isNewerThan(current)) {
                return WriteStatus.STALE;
            }
            versions.put(key, version);
            return WriteStatus.APPLIED;
        }

        @Override
        public WriteStatus delete(ItemKey key, ReplicaVersion version) {
            check(key);
            versions.remove(key);
            return WriteStatus.APPLIED;
        }

        private void check(ItemKey key) {
            if (failing.contains(key)) {
                throw SdkClientException.create("replica unreachable");
            }
            if (poison.contains(key)) {
                throw new PoisonException("item can never be written");
            }
        }
    }

    private final class MemoryLetters implements DeadLetterStore {
        @Override
        public void put(DeadLetter letter) {
            letters.add(letter);
        }

        @Override
        public List<DeadLetter> list(String pairId) {
            return letters.stream().filter(l -> l.pairId().equals(pairId)).toList();
        }

        @Override
        public void delete(String pairId, String sequenceNumber) {
            letters.removeIf(l -> l.pairId().equals(pairId) && l.event().sequenceNumber().equals(sequenceNumber));
        }
    }
}
