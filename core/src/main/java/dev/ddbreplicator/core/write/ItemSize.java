package dev.ddbreplicator.core.write;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The size DynamoDB charges for an item, by its published rules: names and string values in
 * UTF-8 bytes, numbers about one byte per two digits plus one, binary by length, one byte for
 * booleans and nulls, three bytes plus one per element for maps and lists.
 */
public final class ItemSize {

    /** The largest item DynamoDB stores. */
    public static final int MAX_ITEM_BYTES = 400 * 1024;

    private ItemSize() {
    }

    public static long of(Map<String, AttributeValue> item) {
        long size = 0;
        for (var entry : item.entrySet()) {
            size += utf8(entry.getKey()) + of(entry.getValue());
        }
        return size;
    }

    public static long of(AttributeValue value) {
        if (value.s() != null) {
            return utf8(value.s());
        }
        if (value.n() != null) {
            return number(value.n());
        }
        if (value.b() != null) {
            return value.b().asByteArrayUnsafe().length;
        }
        if (value.bool() != null || Boolean.TRUE.equals(value.nul())) {
            return 1;
        }
        if (value.hasM()) {
            long size = 3;
            for (var entry : value.m().entrySet()) {
                size += 1 + utf8(entry.getKey()) + of(entry.getValue());
            }
            return size;
        }
        if (value.hasL()) {
            long size = 3;
            for (AttributeValue element : value.l()) {
                size += 1 + of(element);
            }
            return size;
        }
        if (value.hasSs()) {
            return value.ss().stream().mapToLong(ItemSize::utf8).sum();
        }
        if (value.hasNs()) {
            return value.ns().stream().mapToLong(ItemSize::number).sum();
        }
        if (value.hasBs()) {
            List<SdkBytes> bytes = value.bs();
            return bytes.stream().mapToLong(b -> b.asByteArrayUnsafe().length).sum();
        }
        return 1;
    }

    private static long utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    private static long number(String number) {
        long digits = number.chars().filter(Character::isDigit).count();
        return (digits + 1) / 2 + 1;
    }
}
