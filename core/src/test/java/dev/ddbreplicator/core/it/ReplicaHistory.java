package dev.ddbreplicator.core.it;

import static org.assertj.core.api.Assertions.fail;

import dev.ddbreplicator.core.model.ChangeEvent;
import dev.ddbreplicator.core.model.ChangeKind;
import dev.ddbreplicator.core.model.ItemKey;
import dev.ddbreplicator.core.write.ReplicaVersion;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Checks, observation after observation, that a replica never moves backwards. It knows every
 * source change of every key, in stream order. Each time it is shown the replica it places every
 * key at a point in that history: a present item at the change whose version it carries (and
 * whose image it must equal), an absent one at its start or at one of its removes. A key's place
 * may only move forward; an absent key may take the earliest place not behind the last one.
 */
final class ReplicaHistory {

    private final Map<ItemKey, List<ChangeEvent>> changes = new HashMap<>();
    private final Map<ItemKey, Integer> place = new HashMap<>();
    private final String versionAttribute;
    private final List<String> keyNames;
    private int observations;

    ReplicaHistory(List<ChangeEvent> streamOrder, String versionAttribute, List<String> keyNames) {
        streamOrder.forEach(e -> changes.computeIfAbsent(e.keys(), k -> new ArrayList<>()).add(e));
        this.versionAttribute = versionAttribute;
        this.keyNames = keyNames;
    }

    synchronized void observe(List<Map<String, AttributeValue>> replicaItems) {
        observations++;
        Set<ItemKey> present = new HashSet<>();
        for (Map<String, AttributeValue> item : replicaItems) {
            Map<String, AttributeValue> keyAttributes = new HashMap<>();
            keyNames.forEach(k -> keyAttributes.put(k, item.get(k)));
            ItemKey key = new ItemKey(keyAttributes);
            present.add(key);
            List<ChangeEvent> history = changes.get(key);
            if (history == null) {
                fail("replica has item %s that the source never had", key);
            }
            String version = item.get(versionAttribute).s();
            int index = -1;
            for (int i = 0; i < history.size(); i++) {
                if (ReplicaVersion.of(history.get(i).sequenceNumber()).value().equals(version)) {
                    index = i;
                }
            }
            if (index < 0 || history.get(index).kind() == ChangeKind.REMOVE) {
                fail("replica item %s carries version %s, which is no put of that key", key, version);
            }
            Map<String, AttributeValue> withoutVersion = new HashMap<>(item);
            withoutVersion.remove(versionAttribute);
            if (!withoutVersion.equals(history.get(index).newImage().orElseThrow())) {
                fail("replica item %s at version %s differs from the source's image at that version", key, version);
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
                fail("observation %d: key %s went back: absent after it was at change %d (%s), and no later remove exists",
                        observations, key, from, history.get(from).sequenceNumber());
            }
            moveTo(key, chosen, "absent");
        }
    }

    private void moveTo(ItemKey key, int index, String what) {
        int from = place.getOrDefault(key, -1);
        if (index < from) {
            fail("observation %d: key %s went back from change %d to %d (%s)", observations, key, from, index, what);
        }
        place.put(key, index);
    }

    int observations() {
        return observations;
    }
}
