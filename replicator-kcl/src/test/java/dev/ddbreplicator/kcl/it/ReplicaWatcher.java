package dev.ddbreplicator.kcl.it;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Scans the replica again and again while a test runs and remembers, per key, the highest version
 * ({@code _rv}) seen. An item seen later with a lower version moved backwards: that is recorded.
 */
final class ReplicaWatcher implements AutoCloseable {

    private final DynamoDbClient client;
    private final String table;
    private final List<String> keyNames;
    private final Map<Map<String, AttributeValue>, String> highest = new HashMap<>();
    private final List<String> backwards = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private Thread thread;
    private int scans;

    ReplicaWatcher(DynamoDbClient client, String table, List<String> keyNames) {
        this.client = client;
        this.table = table;
        this.keyNames = keyNames;
    }

    ReplicaWatcher start() {
        running.set(true);
        thread = new Thread(() -> {
            while (running.get()) {
                try {
                    scanOnce();
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    // The replica region may be down for a test; look again later.
                }
            }
        }, "replica-watcher");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    private void scanOnce() {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        client.scanPaginator(b -> b.tableName(table).consistentRead(true)).items().forEach(items::add);
        synchronized (this) {
            for (Map<String, AttributeValue> item : items) {
                Map<String, AttributeValue> key = new HashMap<>();
                keyNames.forEach(k -> key.put(k, item.get(k)));
                String version = item.get("_rv").s();
                String before = highest.get(key);
                if (before != null && version.compareTo(before) < 0) {
                    backwards.add(key + " went from " + before + " back to " + version);
                } else {
                    highest.put(key, version);
                }
            }
            scans++;
        }
    }

    synchronized List<String> backwards() {
        return List.copyOf(backwards);
    }

    synchronized int scans() {
        return scans;
    }

    /** Stops asking and waits for the last answer. */
    void stop() {
        running.set(false);
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        stop();
    }
}
