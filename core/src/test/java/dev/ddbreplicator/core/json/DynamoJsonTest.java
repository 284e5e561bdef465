package dev.ddbreplicator.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class DynamoJsonTest {

    @Test
    void everyAttributeTypeSurvivesARoundTrip() {
        Map<String, AttributeValue> item = Map.ofEntries(
                Map.entry("s", AttributeValue.fromS("tab\t \"quoted\" ünï")),
                Map.entry("n", AttributeValue.fromN("123456789012345678901234567890.5")),
                Map.entry("b", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {0, -1, 42}))),
                Map.entry("bool", AttributeValue.fromBool(false)),
                Map.entry("null", AttributeValue.fromNul(true)),
                Map.entry("m", AttributeValue.fromM(Map.of("inner", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {7}))))),
                Map.entry("l", AttributeValue.fromL(List.of(AttributeValue.fromN("1"), AttributeValue.fromM(Map.of())))),
                Map.entry("ss", AttributeValue.fromSs(List.of("a", "b"))),
                Map.entry("ns", AttributeValue.fromNs(List.of("1", "2.5"))),
                Map.entry("bs", AttributeValue.fromBs(List.of(SdkBytes.fromByteArray(new byte[] {1}), SdkBytes.fromByteArray(new byte[] {2})))));

        String json = DynamoJson.toJson(item);

        assertThat(DynamoJson.parseItem(json)).isEqualTo(item);
        assertThat(json).contains("\"b\":{\"B\":\"AP8q\"}").contains("\"null\":{\"NULL\":true}").contains("\"N\":\"123456789012345678901234567890.5\"");
    }

    @Test
    void malformedJsonIsRefusedWithTheReason() {
        assertThatThrownBy(() -> DynamoJson.parseItem("{\"a\":{\"X\":\"1\"}}")).hasMessageContaining("unknown attribute type X");
        assertThatThrownBy(() -> DynamoJson.parseItem("{\"a\":{\"S\":1}}")).hasMessageContaining("must be a string");
    }
}
