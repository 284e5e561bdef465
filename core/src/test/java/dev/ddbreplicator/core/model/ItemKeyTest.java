package dev.ddbreplicator.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class ItemKeyTest {

    @Test
    void equalKeysHaveEqualDigestsWhateverTheOrderOrNumberSpelling() {
        Map<String, AttributeValue> first = new LinkedHashMap<>();
        first.put("pk", AttributeValue.fromS("a"));
        first.put("sk", AttributeValue.fromN("1.50"));
        Map<String, AttributeValue> second = new LinkedHashMap<>();
        second.put("sk", AttributeValue.fromN("1.5"));
        second.put("pk", AttributeValue.fromS("a"));

        assertThat(new ItemKey(first).digest()).isEqualTo(new ItemKey(second).digest());
        assertThat(new ItemKey(first).digest()).isNotEqualTo(new ItemKey(Map.of("pk", AttributeValue.fromS("b"))).digest());
        assertThat(new ItemKey(Map.of("pk", AttributeValue.fromS("1"))).digest())
                .isNotEqualTo(new ItemKey(Map.of("pk", AttributeValue.fromN("1"))).digest());
    }
}
