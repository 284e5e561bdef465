package dev.ddbreplicator.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Measures replication lag end to end, whatever replicator runs: writes a probe item to the
 * master, then reads the replica until it appears, again and again. DynamoDB Local truncates a
 * stream record's creation time to the minute, so lag cannot be read from the records there.
 */
final class LagProbe implements AutoCloseable {

    static final String PROBE_KEY = "~lag-probe";

    private final DynamoDbClient master;
    private final String masterTable;
    private final DynamoDbClient replica;
    private final String replicaTable;
    private final Map<String, String> keyNames;
    private final List<Long> samples = Collections.synchronizedList(new ArrayList<>());
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param keyNames the hash key name, and the range key name when there is one (value "" otherwise) with its type "S" or "N"
     */
    LagProbe(DynamoDbClient master, String masterTable, DynamoDbClient replica, String replicaTable, Map<String, String> keyNames) {
        this.master = master;
        this.masterTable = masterTable;
        this.replica = replica;
        this.replicaTable = replicaTable;
        this.keyNames = keyNames;
        this.thread = new Thread(this::probe, "lag-probe");
        this.thread.setDaemon(true);
    }

    LagProbe start() {
        thread.start();
        return this;
    }

    private void probe() {
        long n = 0;
        try {
            while (running) {
                Map<String, AttributeValue> key = key(n++ % 50);
                long written = System.nanoTime();
                Map<String, AttributeValue> item = new java.util.HashMap<>(key);
                item.put("probe", AttributeValue.fromN(Long.toString(n)));
                master.putItem(b -> b.tableName(masterTable).item(item));
                long deadline = written + 30_000_000_000L;
                while (running && System.nanoTime() < deadline) {
                    Map<String, AttributeValue> seen = replica.getItem(b -> b.tableName(replicaTable).key(key).consistentRead(true)).item();
                    if (seen != null && seen.get("probe") != null && seen.get("probe").n().equals(item.get("probe").n())) {
                        samples.add((System.nanoTime() - written) / 1_000_000);
                        break;
                    }
                    Thread.sleep(5);
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // A probe is a measurement only; the demo's verify says whether replication worked.
        }
    }

    private Map<String, AttributeValue> key(long slot) {
        Map<String, AttributeValue> key = new java.util.HashMap<>();
        key.put(keyNames.get("hash"), AttributeValue.fromS(PROBE_KEY));
        if (!keyNames.getOrDefault("range", "").isEmpty()) {
            String value = Long.toString(slot);
            key.put(keyNames.get("range"), "N".equals(keyNames.get("rangeType")) ? AttributeValue.fromN(value) : AttributeValue.fromS(value));
        }
        return key;
    }

    /** The lag percentile in ms over the samples so far, or -1 without samples. */
    long percentile(double p) {
        List<Long> sorted;
        synchronized (samples) {
            sorted = new ArrayList<>(samples);
        }
        if (sorted.isEmpty()) {
            return -1;
        }
        Collections.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    /** Forgets the samples so far, to measure a new phase. */
    void reset() {
        samples.clear();
    }

    int samples() {
        return samples.size();
    }

    @Override
    public void close() {
        stop();
    }

    /** Stops probing and waits until the last probe write has returned. */
    void stop() {
        // No interrupt: a probe write cut off mid-request might still land after the caller's next write.
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread.interrupt();
    }
}
