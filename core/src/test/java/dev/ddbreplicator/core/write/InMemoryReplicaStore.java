package dev.ddbreplicator.core.write;

import dev.ddbreplicator.core.model.ItemKey;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A replica in memory with the same version rules as the DynamoDB one, for unit tests of the
 * writer: it records every write, can be told to fail a key's next writes, and measures how
 * many writes were in flight at once.
 */
final class InMemoryReplicaStore implements ReplicaStore {

    record Write(ItemKey key, ReplicaVersion version, boolean delete) {
    }

    private final Map<ItemKey, Map<String, AttributeValue>> items = new HashMap<>();
    private final Map<ItemKey, ReplicaVersion> versions = new HashMap<>();
    private final Map<ItemKey, Queue<RuntimeException>> failures = new HashMap<>();
    private final List<Write> writes = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private volatile long writeMillis;

    private final List<Integer> groups = Collections.synchronizedList(new ArrayList<>());
    private volatile int newItemsPerCall = 1;
    private volatile boolean settleNoGroup;

    /** Takes inserts several to a call, up to this many. */
    void groupsUpTo(int items) {
        newItemsPerCall = items;
    }

    /** Grouped calls fail and settle nothing, as when DynamoDB throttles or cancels a transaction for a reason other than a condition. */
    void settleNoGroup() {
        settleNoGroup = true;
    }

    /** The sizes of the grouped calls made. */
    List<Integer> groups() {
        return List.copyOf(groups);
    }

    @Override
    public int newItemsPerCall() {
        return newItemsPerCall;
    }

    @Override
    public Map<ItemKey, WriteStatus> putAllNew(List<NewItem> newItems) {
        groups.add(newItems.size());
        if (settleNoGroup) {
            throw new IllegalStateException("the grouped call failed");
        }
        Map<ItemKey, WriteStatus> settled = new HashMap<>();
        for (NewItem item : newItems) {
            settled.put(item.key(), write(item.key(), item.version(), false, item.item()));
        }
        return settled;
    }

    void writeTakes(long millis) {
        writeMillis = millis;
    }

    synchronized void failNext(ItemKey key, RuntimeException... errors) {
        failures.computeIfAbsent(key, k -> new ArrayDeque<>()).addAll(List.of(errors));
    }

    @Override
    public WriteStatus put(ItemKey key, Map<String, AttributeValue> item, ReplicaVersion version, boolean expectNew) {
        return write(key, version, false, item);
    }

    @Override
    public WriteStatus delete(ItemKey key, ReplicaVersion version) {
        return write(key, version, true, null);
    }

    private WriteStatus write(ItemKey key, ReplicaVersion version, boolean delete, Map<String, AttributeValue> item) {
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            if (writeMillis > 0) {
                Thread.sleep(writeMillis);
            }
            synchronized (this) {
                Queue<RuntimeException> queue = failures.get(key);
                if (queue != null && !queue.isEmpty()) {
                    throw queue.poll();
                }
                writes.add(new Write(key, version, delete));
                ReplicaVersion current = versions.get(key);
                if (current != null && !version.isNewerThan(current)) {
                    return WriteStatus.STALE;
                }
                // Versions are kept for deleted keys too: this store's tombstones never expire.
                versions.put(key, version);
                if (delete) {
                    items.remove(key);
                } else {
                    items.put(key, Map.copyOf(item));
                }
                return WriteStatus.APPLIED;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    synchronized Map<String, AttributeValue> item(ItemKey key) {
        return items.get(key);
    }

    List<Write> writes() {
        return List.copyOf(writes);
    }

    int maxInFlight() {
        return maxInFlight.get();
    }
}
