package dev.ddbreplicator.core.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbreplicator.core.model.ChangeEvent;
import dev.ddbreplicator.core.model.ChangeKind;
import dev.ddbreplicator.core.model.ItemKey;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class DeadLetterCodecTest {

    @Test
    void aLetterKeepsTheWholeEventAndItsReason() {
        ChangeEvent event = new ChangeEvent("Orders", new ItemKey(Map.of("pk", AttributeValue.fromS("a"))),
                Optional.of(Map.of("pk", AttributeValue.fromS("a"), "v", AttributeValue.fromN("1"))),
                Optional.of(Map.of("pk", AttributeValue.fromS("a"), "v", AttributeValue.fromN("2"))),
                ChangeKind.MODIFY, "000123", Instant.parse("2026-01-02T03:04:05Z"), false);
        DeadLetter letter = new DeadLetter("orders-eu", event, "item too large", Instant.parse("2026-01-02T03:04:06Z"));

        String json = DeadLetterCodec.toJson(letter);

        assertThat(DeadLetterCodec.fromJson(json)).isEqualTo(letter);
        assertThat(json).contains("\"NewImage\"").contains("\"reason\" : \"item too large\"");
    }
}
