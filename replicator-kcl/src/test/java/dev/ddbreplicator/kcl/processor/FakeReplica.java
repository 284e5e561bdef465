package dev.ddbreplicator.kcl.processor;

import dev.ddbreplicator.core.deadletter.DeadLetter;
import dev.ddbreplicator.core.deadletter.DeadLetterStore;
import dev.ddbreplicator.core.metrics.ReplicationMetrics;
import dev.ddbreplicator.core.model.ChangeEvent;
import dev.ddbreplicator.core.model.ChangeKind;
import dev.ddbreplicator.core.model.ItemKey;
import dev.ddbreplicator.core.pair.TablePair;
import dev.ddbreplicator.core.retry.Retrier;
import dev.ddbreplicator.core.retry.RetryPolicy;
import dev.ddbreplicator.core.write.BatchObserver;
import dev.ddbreplicator.core.write.PairReplicator;
import dev.ddbreplicator.core.write.ReplicaStore;
import dev.ddbreplicator.core.write.ReplicaVersion;
import dev.ddbreplicator.core.write.ReplicaWriter;
import dev.ddbreplicator.core.write.WriteStatus;
import dev.ddbreplicator.core.write.WriterSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An in-memory replica table behind the core's real writer, for tests of the KCL side without a
 * network: it keeps the newest version per key, and can be told to fail writes (transiently).
 */
final class FakeReplica implements ReplicaStore {

    static final TablePair PAIR = TablePair.of("p", "source", "us-east-1", "replica", "eu-west-1", Instant.EPOCH);

    final Map<ItemKey, ReplicaVersion> versions = new ConcurrentHashMap<>();
    final Map<ItemKey, Map<String, AttributeValue>> items = new ConcurrentHashMap<>();
    final List<String> writes = new ArrayList<>();
    final AtomicInteger failuresLeft = new AtomicInteger();
    volatile boolean down;

    @Override
    public WriteStatus put(ItemKey key, Map<String, AttributeValue> item, ReplicaVersion version, boolean expectNew) {
        failIfAsked();
        synchronized (this) {
            writes.add("put " + key.attributes().get("pk").s() + "@" + version.value().replaceFirst("^0+", ""));
            ReplicaVersion current = versions.get(key);
            if (current != null && current.compareTo(version) >= 0) {
                return WriteStatus.STALE;
            }
            versions.put(key, version);
            items.put(key, item);
            return WriteStatus.APPLIED;
        }
    }

    @Override
    public WriteStatus delete(ItemKey key, ReplicaVersion version) {
        failIfAsked();
        synchronized (this) {
            ReplicaVersion current = versions.get(key);
            if (current != null && current.compareTo(version) >= 0) {
                return WriteStatus.STALE;
            }
            versions.put(key, version);
            items.remove(key);
            return WriteStatus.APPLIED;
        }
    }

    private void failIfAsked() {
        if (down || failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw SdkClientException.create("replica unreachable (test)");
        }
    }

    /** A replicator for {@link #PAIR} that writes here: the core's real writer, one quick attempt per write. */
    PairReplicator replicator() {
        ReplicaWriter writer = new ReplicaWriter(this, WriterSettings.defaults().withConcurrency(4),
                new Retrier(new RetryPolicy(1, java.time.Duration.ZERO, java.time.Duration.ZERO)), Retrier.Listener.NONE);
        return new PairReplicator(PAIR, writer, new DeadLetterStore() {
            @Override
            public void put(DeadLetter letter) {
            }

            @Override
            public List<DeadLetter> list(String pairId) {
                return List.of();
            }

            @Override
            public void delete(String pairId, String sequenceNumber) {
            }
        }, new ReplicationMetrics(new SimpleMeterRegistry(), PAIR.id()), Clock.systemUTC(), BatchObserver.NONE);
    }

    static ChangeEvent put(String key, long sequence) {
        Map<String, AttributeValue> keys = Map.of("pk", AttributeValue.fromS(key));
        Map<String, AttributeValue> image = Map.of("pk", AttributeValue.fromS(key), "n", AttributeValue.fromN(Long.toString(sequence)));
        return new ChangeEvent("source", new ItemKey(keys), Optional.empty(), Optional.of(image), ChangeKind.MODIFY,
                String.format("%021d", sequence), Instant.now(), false);
    }

    synchronized long versionOf(String key) {
        ReplicaVersion version = versions.get(new ItemKey(Map.of("pk", AttributeValue.fromS(key))));
        return version == null ? -1 : Long.parseLong(version.value());
    }
}
