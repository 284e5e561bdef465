package dev.ddbreplicator.core.write;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class ItemSizeTest {

    @Test
    void countsNamesAndValuesByDynamoDbRules() {
        assertThat(ItemSize.of(Map.of("ab", AttributeValue.fromS("héllo")))).isEqualTo(2 + 6);
        assertThat(ItemSize.of(Map.of("n", AttributeValue.fromN("12345")))).isEqualTo(1 + 4);
        assertThat(ItemSize.of(Map.of("b", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[10]))))).isEqualTo(11);
        assertThat(ItemSize.of(Map.of("t", AttributeValue.fromBool(true), "z", AttributeValue.fromNul(true)))).isEqualTo(4);
        assertThat(ItemSize.of(Map.of("m", AttributeValue.fromM(Map.of("k", AttributeValue.fromS("v")))))).isEqualTo(1 + 3 + 1 + 1 + 1);
        assertThat(ItemSize.of(Map.of("l", AttributeValue.fromL(List.of(AttributeValue.fromS("ab")))))).isEqualTo(1 + 3 + 1 + 2);
        assertThat(ItemSize.of(Map.of("s", AttributeValue.fromSs(List.of("a", "bc"))))).isEqualTo(1 + 3);
    }
}
