package dev.ddbreplicator.core.write;

import dev.ddbreplicator.core.model.ChangeEvent;
import dev.ddbreplicator.core.model.ChangeKind;
import dev.ddbreplicator.core.model.ItemKey;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Builds change events for unit tests. */
final class Events {

    static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");

    private Events() {
    }

    static ItemKey key(String id) {
        return new ItemKey(Map.of("pk", AttributeValue.fromS(id)));
    }

    static ChangeEvent put(String id, long sequence, String value) {
        Map<String, AttributeValue> image = new HashMap<>(key(id).attributes());
        image.put("value", AttributeValue.fromS(value));
        return new ChangeEvent("source", key(id), Optional.empty(), Optional.of(image), ChangeKind.MODIFY,
                Long.toString(sequence), CREATED, false);
    }

    /** A new item: what the writer may put together with other inserts. */
    static ChangeEvent insert(String id, long sequence, String value) {
        Map<String, AttributeValue> image = new HashMap<>(key(id).attributes());
        image.put("value", AttributeValue.fromS(value));
        return new ChangeEvent("source", key(id), Optional.empty(), Optional.of(image), ChangeKind.INSERT,
                Long.toString(sequence), CREATED, false);
    }

    static ChangeEvent remove(String id, long sequence) {
        return new ChangeEvent("source", key(id), Optional.of(key(id).attributes()), Optional.empty(), ChangeKind.REMOVE,
                Long.toString(sequence), CREATED, false);
    }

    static ChangeEvent ttlRemove(String id, long sequence) {
        return new ChangeEvent("source", key(id), Optional.of(key(id).attributes()), Optional.empty(), ChangeKind.REMOVE,
                Long.toString(sequence), CREATED, true);
    }
}
