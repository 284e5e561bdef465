package dev.ddbreplicator.core.verify;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A short fingerprint of an item's content, the same for equal items whatever the order of map
 * entries and set elements and however a number is written, ignoring some attributes (the
 * replication version). Comparing fingerprints lets a verify hold two large tables in memory.
 */
public record ItemDigest(byte[] bytes) {

    private static final int LENGTH = 16;

    /** The fingerprint of {@code item} without the {@code ignored} top-level attributes. */
    public static ItemDigest of(Map<String, AttributeValue> item, Set<String> ignored) {
        MessageDigest sha = sha256();
        for (var entry : new TreeMap<>(item).entrySet()) {
            if (ignored.contains(entry.getKey())) {
                continue;
            }
            text(sha, entry.getKey());
            value(sha, entry.getValue());
        }
        return new ItemDigest(Arrays.copyOf(sha.digest(), LENGTH));
    }

    private static void value(MessageDigest sha, AttributeValue value) {
        if (value.s() != null) {
            sha.update((byte) 'S');
            text(sha, value.s());
        } else if (value.n() != null) {
            sha.update((byte) 'N');
            text(sha, number(value.n()));
        } else if (value.b() != null) {
            sha.update((byte) 'B');
            bytes(sha, value.b());
        } else if (value.bool() != null) {
            sha.update((byte) (value.bool() ? 'T' : 'F'));
        } else if (Boolean.TRUE.equals(value.nul())) {
            sha.update((byte) '0');
        } else if (value.hasM()) {
            sha.update((byte) 'M');
            sha.update(intBytes(value.m().size()));
            for (var entry : new TreeMap<>(value.m()).entrySet()) {
                text(sha, entry.getKey());
                value(sha, entry.getValue());
            }
        } else if (value.hasL()) {
            sha.update((byte) 'L');
            sha.update(intBytes(value.l().size()));
            value.l().forEach(element -> value(sha, element));
        } else if (value.hasSs()) {
            sha.update((byte) 's');
            sortedTexts(sha, value.ss());
        } else if (value.hasNs()) {
            sha.update((byte) 'n');
            sortedTexts(sha, value.ns().stream().map(ItemDigest::number).toList());
        } else if (value.hasBs()) {
            sha.update((byte) 'b');
            List<String> encoded = value.bs().stream().map(b -> java.util.Base64.getEncoder().encodeToString(b.asByteArrayUnsafe())).toList();
            sortedTexts(sha, encoded);
        } else {
            sha.update((byte) '?');
        }
    }

    private static void sortedTexts(MessageDigest sha, List<String> texts) {
        sha.update(intBytes(texts.size()));
        texts.stream().sorted().forEach(t -> text(sha, t));
    }

    private static String number(String n) {
        return new BigDecimal(n).stripTrailingZeros().toPlainString();
    }

    private static void text(MessageDigest sha, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        sha.update(intBytes(bytes.length));
        sha.update(bytes);
    }

    private static void bytes(MessageDigest sha, SdkBytes bytes) {
        byte[] raw = bytes.asByteArrayUnsafe();
        sha.update(intBytes(raw.length));
        sha.update(raw);
    }

    private static byte[] intBytes(int n) {
        return new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ItemDigest d && Arrays.equals(bytes, d.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return java.util.HexFormat.of().formatHex(bytes);
    }
}
