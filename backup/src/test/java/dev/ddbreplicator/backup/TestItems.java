package dev.ddbreplicator.backup;

import dev.ddbreplicator.testkit.Workload;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Items with every attribute type, binary nested in maps and lists included, keyed pk (S) + sk (N). */
final class TestItems {

    private TestItems() {
    }

    static List<Map<String, AttributeValue>> generate(int count, long seed) {
        List<Map<String, AttributeValue>> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            items.add(item(i, seed));
        }
        return items;
    }

    /** Item {@code i} of the sequence of that seed: the same every time, so large tables need not be held in memory. */
    static Map<String, AttributeValue> item(int i, long seed) {
        return item(i, new Random(seed * 1_000_003L + i));
    }

    /** The key of item {@code i}. */
    static Map<String, AttributeValue> key(int i) {
        return Map.of("pk", AttributeValue.fromS("item-" + (i / 3)), "sk", AttributeValue.fromN(Integer.toString(i % 3)));
    }

    static Map<String, AttributeValue> item(int i, Random random) {
        Map<String, AttributeValue> item = new HashMap<>(Workload.randomAttributes(random));
        item.put("pk", AttributeValue.fromS("item-" + (i / 3)));
        item.put("sk", AttributeValue.fromN(Integer.toString(i % 3)));
        byte[] raw = new byte[8];
        random.nextBytes(raw);
        // Binary three levels down in maps and lists, empty containers, a 38-digit number, non-ASCII text.
        AttributeValue list = AttributeValue.fromL(List.of(
                AttributeValue.fromM(Map.of("bin", AttributeValue.fromB(SdkBytes.fromByteArray(raw)))),
                AttributeValue.fromL(List.of(AttributeValue.fromB(SdkBytes.fromString("x\u0000y", StandardCharsets.UTF_8)))),
                AttributeValue.fromBs(List.of(SdkBytes.fromByteArray(new byte[] {(byte) 0xff, 0})))));
        item.put("deep", AttributeValue.fromM(Map.of(
                "list", list,
                "emptyMap", AttributeValue.fromM(Map.of()),
                "emptyList", AttributeValue.fromL(List.of()),
                "flag", AttributeValue.fromBool(i % 2 == 0),
                "nothing", AttributeValue.fromNul(true))));
        item.put("precise", AttributeValue.fromN("1234567890123456789012345678901234567." + (i % 10)));
        item.put("text", AttributeValue.fromS("zürich \u65e5\u672c \"quoted\" \\ line\nbreak " + i));
        return item;
    }
}
