package dev.ddbreplicator.core.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The primary key of one item: its key attributes, usable as a map key. */
public record ItemKey(Map<String, AttributeValue> attributes) {

    public ItemKey {
        if (attributes == null || attributes.isEmpty()) {
            throw new IllegalArgumentException("an item key needs at least one attribute");
        }
        attributes = Map.copyOf(attributes);
    }

    /**
     * A stable, compact digest of the key (SHA-256, base64url), the same for equal keys whatever
     * the map order; used where a key must become a short string, such as a tombstone id.
     */
    public String digest() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (var entry : new TreeMap<>(attributes).entrySet()) {
                AttributeValue value = entry.getValue();
                sha.update(entry.getKey().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                if (value.s() != null) {
                    sha.update((byte) 'S');
                    sha.update(value.s().getBytes(StandardCharsets.UTF_8));
                } else if (value.n() != null) {
                    sha.update((byte) 'N');
                    sha.update(new java.math.BigDecimal(value.n()).stripTrailingZeros().toPlainString().getBytes(StandardCharsets.UTF_8));
                } else if (value.b() != null) {
                    sha.update((byte) 'B');
                    sha.update(value.b().asByteArray());
                } else {
                    throw new IllegalArgumentException("key attribute " + entry.getKey() + " is not S, N or B: " + value);
                }
                sha.update((byte) 0);
            }
            return Base64.getUrlEncoder().withoutPadding().encodeToString(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("{");
        for (var entry : new TreeMap<>(attributes).entrySet()) {
            if (text.length() > 1) {
                text.append(", ");
            }
            AttributeValue value = entry.getValue();
            String rendered = value.s() != null ? value.s() : value.n() != null ? value.n()
                    : value.b() != null ? "b64:" + Base64.getEncoder().encodeToString(value.b().asByteArray()) : value.toString();
            text.append(entry.getKey()).append('=').append(rendered);
        }
        return text.append('}').toString();
    }
}
