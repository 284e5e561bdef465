package dev.ddbreplicator.bench;

import dev.ddbreplicator.testkit.Workload;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The items the benchmarks write. Keys are strings under the {@code pk} hash key. */
public final class Items {

    public static final String KEY = "pk";

    private Items() {
    }

    /** {@code count} distinct new items of about 400 bytes carrying every attribute type (the tests' workload generator). */
    public static List<Map<String, AttributeValue>> distinct(String prefix, int count, long seed) {
        Random random = new Random(seed);
        List<Map<String, AttributeValue>> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            items.add(item(prefix + i, random));
        }
        return items;
    }

    /**
     * {@code count} writes over {@code keys} keys where a tenth of the keys get nine tenths of the
     * writes: each write picks a hot key with probability 0.9, a cold one otherwise.
     */
    public static List<Map<String, AttributeValue>> hotKeys(String prefix, int count, int keys, long seed) {
        Random random = new Random(seed);
        int hot = Math.max(1, keys / 10);
        List<Map<String, AttributeValue>> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int key = random.nextDouble() < 0.9 ? random.nextInt(hot) : hot + random.nextInt(keys - hot);
            items.add(item(prefix + key, random));
        }
        return items;
    }

    /** An item of about {@code bytes} bytes of random text (compresses about 2:1, like the backup docs' figures). */
    public static Map<String, AttributeValue> text(String key, int bytes, Random random) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(KEY, AttributeValue.fromS(key));
        StringBuilder text = new StringBuilder(bytes + 16);
        while (text.length() < bytes) {
            text.append(Long.toString(random.nextLong(), 36));
        }
        item.put("text", AttributeValue.fromS(text.toString()));
        item.put("n", AttributeValue.fromN(Integer.toString(random.nextInt(1_000_000))));
        return item;
    }

    /** The same items with one more attribute, e.g. the replica's version, so plain writes carry what the replicator writes. */
    public static List<Map<String, AttributeValue>> with(List<Map<String, AttributeValue>> items, String attribute) {
        List<Map<String, AttributeValue>> copies = new ArrayList<>(items.size());
        long version = 1;
        for (Map<String, AttributeValue> item : items) {
            Map<String, AttributeValue> copy = new HashMap<>(item);
            String digits = Long.toString(version++);
            copy.put(attribute, AttributeValue.fromS("0".repeat(40 - digits.length()) + digits));
            copies.add(copy);
        }
        return copies;
    }

    private static Map<String, AttributeValue> item(String key, Random random) {
        Map<String, AttributeValue> item = new HashMap<>(Workload.randomAttributes(random));
        item.put(KEY, AttributeValue.fromS(key));
        return item;
    }
}
