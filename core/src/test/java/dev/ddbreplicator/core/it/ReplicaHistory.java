package dev.ddbreplicator.core.it;

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
 * Checks, snapshot after snapshot, that a replica never moves backwards. It knows every source
 * change of every key, in stream order. Each snapshot places every key at a point in that history:
 * a present item at the change whose version it carries (and whose image it must equal), an absent
 * one at its start or at one of its removes. A key's place may only move forward; an absent key may
 * take the earliest place not behind the last one. Shared with the reliability suite (core's test jar).
 */
public final class ReplicaHistory {

    private static final int MAX_PROBLEMS = 20;

    private final Map<ItemKey, List<ChangeEvent>> changes = new HashMap<>();
    private final Map<ItemKey, Integer> place = new HashMap<>();
    private final String versionAttribute;
    private final List<String> problems = new ArrayList<>();
    private int observations;

    public ReplicaHistory(List<ChangeEvent> streamOrder, String versionAttribute) {
        streamOrder.forEach(e -> changes.computeIfAbsent(e.keys(), k -> new ArrayList<>()).add(e));
        this.versionAttribute = versionAttribute;
    }

    /** One replica item as a snapshot keeps it: its version and a digest of the rest. */
    public record Seen(String version, ItemDigest digest) {
    }

    /** A snapshot of replica items, compactly. */
    public static Map<ItemKey, Seen> snapshot(Iterable<Map<String, AttributeValue>> items, List<String> keyNames, String versionAttribute) {
        Map<ItemKey, Seen> snapshot = new HashMap<>();
        for (Map<String, AttributeValue> item : items) {
            Map<String, AttributeValue> key = new HashMap<>();
            keyNames.forEach(k -> key.put(k, item.get(k)));
            AttributeValue version = item.get(versionAttribute);
            snapshot.put(new ItemKey(key), new Seen(version == null ? "(none)" : version.s(), ItemDigest.of(item, Set.of(versionAttribute))));
        }
        return snapshot;
    }

    /** Places each snapshot in turn. */
    public void observeAll(List<Map<ItemKey, Seen>> snapshots) {
        snapshots.forEach(this::observe);
    }

    /** Places one snapshot; what went wrong is kept in {@link #problems()}. */
    public synchronized void observe(Map<ItemKey, Seen> snapshot) {
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
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(String.format(format, args));
        }
    }

    public synchronized List<String> problems() {
        return List.copyOf(problems);
    }

    public synchronized int observations() {
        return observations;
    }

    /** Scans a replica table again and again in a background thread and keeps each scan as a snapshot. */
    public static final class Recorder implements AutoCloseable {
        private final DynamoDbClient client;
        private final String table;
        private final List<String> keyNames;
        private final String versionAttribute;
        private final List<Map<ItemKey, Seen>> snapshots = new CopyOnWriteArrayList<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        public Recorder(DynamoDbClient client, String table, List<String> keyNames, String versionAttribute) {
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
                    snapshots.add(snapshot(client.scanPaginator(b -> b.tableName(table).consistentRead(true)).items(), keyNames,
                            versionAttribute));
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    // the replica region may be down for the test; look again later
                }
            }
        }

        public List<Map<ItemKey, Seen>> snapshots() {
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
}
