package dev.ddbreplicator.core.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class ItemDigestTest {

    @Test
    void equalItemsHaveEqualDigestsWhateverTheOrderOfSetsAndHowNumbersAreWritten() {
        Map<String, AttributeValue> a = Map.of("pk", AttributeValue.fromS("x"), "n", AttributeValue.fromN("1.50"),
                "ss", AttributeValue.fromSs(List.of("a", "b")), "_rv", AttributeValue.fromS("1"));
        Map<String, AttributeValue> b = Map.of("pk", AttributeValue.fromS("x"), "n", AttributeValue.fromN("1.5"),
                "ss", AttributeValue.fromSs(List.of("b", "a")), "_rv", AttributeValue.fromS("2"));
        assertThat(ItemDigest.of(a, Set.of("_rv"))).isEqualTo(ItemDigest.of(b, Set.of("_rv")));
        assertThat(ItemDigest.of(a, Set.of())).isNotEqualTo(ItemDigest.of(b, Set.of()));
    }

    @Test
    void anyChangeOfValueTypeOrNestingChangesTheDigest() {
        Map<String, AttributeValue> base = Map.of("m", AttributeValue.fromM(Map.of("k", AttributeValue.fromL(List.of(AttributeValue.fromN("1"))))));
        Map<String, AttributeValue> otherNumber = Map.of("m", AttributeValue.fromM(Map.of("k", AttributeValue.fromL(List.of(AttributeValue.fromN("2"))))));
        Map<String, AttributeValue> stringNotNumber = Map.of("m", AttributeValue.fromM(Map.of("k", AttributeValue.fromL(List.of(AttributeValue.fromS("1"))))));
        assertThat(ItemDigest.of(base, Set.of())).isNotEqualTo(ItemDigest.of(otherNumber, Set.of()));
        assertThat(ItemDigest.of(base, Set.of())).isNotEqualTo(ItemDigest.of(stringNotNumber, Set.of()));
    }
}
