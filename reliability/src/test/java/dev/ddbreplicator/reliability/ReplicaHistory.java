package dev.ddbreplicator.reliability;

import dev.ddbreplicator.core.model.ChangeEvent;
import dev.ddbreplicator.core.model.ChangeKind;
import dev.ddbreplicator.core.model.ItemKey;
import dev.ddbreplicator.core.verify.ItemDigest;
import dev.ddbreplicator.core.write.ReplicaVersion;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Checks that a replica never moved backwards, from snapshots of it taken while replication ran and
 * the source's whole stream read afterwards (the idea of the core's test of the same name). Each
 * snapshot places every key at a point of its history: a present item at the change whose version it
 * carries (and whose image it must equal), an absent one at its start or at one of its removes. A
 * key's place may only move forward from snapshot to snapshot.
 */
final class ReplicaHistory {

    private final Map<ItemKey, List<ChangeEvent>> changes = new HashMap<>();
    private final Map<ItemKey, Integer> place = new HashMap<>();
    private final String versionAttribute;
    private final List<String> problems = new ArrayList<>();
    private int observations;

    ReplicaHistory(List<ChangeEvent> streamOrder, String versionAttribute) {
        streamOrder.forEach(e -> changes.computeIfAbsent(e.keys(), k -> new ArrayList<>()).add(e));
        this.versionAttribute = versionAttribute;
    }

    /** One replica item as a snapshot keeps it: its version and a digest of the rest. */
    record Seen(String version, ItemDigest digest) {
    }

    /** Places each snapshot in turn; what went wrong is kept in {@link #problems()}. */
    void observeAll(List<Map<ItemKey, Seen>> snapshots) {
        snapshots.forEach(this::observe);
    }

    /** Places one snapshot. */
    void observe(Map<ItemKey, Seen> snapshot) {
        observations++;
        Set<ItemKey> present = new HashSet<>();
        for (var entry : snapshot.entrySet()) {
            ItemKey key = entry.getKey();
            present.add(key);
            List<ChangeEvent> history = changes.get(key);
            if (history == null) {
                problem("snapshot %d: replica has item %s that the source never had", observations, key);
                continue;
            }
            String version = entry.getValue().version();
            int index = -1;
            for (int i = 0; i < history.size(); i++) {
                if (ReplicaVersion.of(history.get(i).sequenceNumber()).value().equals(version)) {
                    index = i;
                }
            }
            if (index < 0 || history.get(index).kind() == ChangeKind.REMOVE) {
                problem("snapshot %d: replica item %s carries version %s, which is no put of that key", observations, key, version);
                continue;
            }
            if (!entry.getValue().digest().equals(ItemDigest.of(history.get(index).newImage().orElseThrow(), Set.of(versionAttribute)))) {
                problem("snapshot %d: replica item %s at version %s differs from the source's image at that version", observations, key,
                        version);
            }
            moveTo(key, index, "present at " + version);
        }
        for (ItemKey key : changes.keySet()) {
            if (present.contains(key)) {
                continue;
            }
            List<ChangeEvent> history = changes.get(key);
            int from = place.getOrDefault(key, -1);
            int chosen = from == -1 ? -1 : Integer.MIN_VALUE;
            for (int i = Math.max(from, 0); i < history.size() && chosen == Integer.MIN_VALUE; i++) {
                if (history.get(i).kind() == ChangeKind.REMOVE) {
                    chosen = i;
                }
            }
            if (chosen == Integer.MIN_VALUE) {
                problem("snapshot %d: key %s went back: absent after it was at change %d (%s), and no later remove exists", observations,
                        key, from, history.get(from).sequenceNumber());
                continue;
            }
            moveTo(key, chosen, "absent");
        }
    }

    private void moveTo(ItemKey key, int index, String what) {
        int from = place.getOrDefault(key, -1);
        if (index < from) {
            problem("snapshot %d: key %s went back from change %d to %d (%s)", observations, key, from, index, what);
            return;
        }
        place.put(key, index);
    }

    private void problem(String format, Object... args) {
        if (problems.size() < 20) {
            problems.add(String.format(format, args));
        }
    }

    /**
     * Scans a replica table again and again in a background thread and keeps each scan as a snapshot,
     * compactly (a version and a digest per item).
     */
    static final class Recorder implements AutoCloseable {
        private final DynamoDbClient client;
        private final String table;
        private final List<String> keyNames;
        private final String versionAttribute;
        private final List<Map<ItemKey, Seen>> snapshots = new CopyOnWriteArrayList<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        Recorder(DynamoDbClient client, String table, List<String> keyNames, String versionAttribute) {
            this.client = client;
            this.table = table;
            this.keyNames = keyNames;
            this.versionAttribute = versionAttribute;
            this.thread = new Thread(this::run, "replica-snapshots");
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            while (running.get()) {
                try {
                    Map<ItemKey, Seen> snapshot = new HashMap<>();
                    client.scanPaginator(b -> b.tableName(table).consistentRead(true)).items().forEach(item -> {
                        Map<String, AttributeValue> key = new HashMap<>();
                        keyNames.forEach(k -> key.put(k, item.get(k)));
                        snapshot.put(new ItemKey(key), new Seen(item.get(versionAttribute).s(), ItemDigest.of(item, Set.of(versionAttribute))));
                    });
                    snapshots.add(snapshot);
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    // the replica region may be down for the test; look again later
                }
            }
        }

        List<Map<ItemKey, Seen>> snapshots() {
            return List.copyOf(snapshots);
        }

        @Override
        public void close() {
            running.set(false);
            thread.interrupt();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    List<String> problems() {
        return List.copyOf(problems);
    }

    int observations() {
        return observations;
    }
}
