package dev.ddbreplicator.core.model;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One change of one item in a source table, as its stream reported it, independent of whether
 * Lambda or KCL delivered it.
 *
 * @param table the source table's name
 * @param keys the item's primary key
 * @param oldImage the item before the change, empty when the stream does not carry it or for an insert
 * @param newImage the item after the change, empty for a remove
 * @param kind insert, modify or remove
 * @param sequenceNumber the stream sequence number: decimal digits, increasing per key
 * @param approximateCreationTime when the source table made the change (stream precision)
 * @param ttlDelete whether DynamoDB itself removed the item because its TTL expired
 */
public record ChangeEvent(String table, ItemKey keys, Optional<Map<String, AttributeValue>> oldImage,
                          Optional<Map<String, AttributeValue>> newImage, ChangeKind kind, String sequenceNumber,
                          Instant approximateCreationTime, boolean ttlDelete) {

    public ChangeEvent {
        if (table == null || table.isEmpty()) {
            throw new IllegalArgumentException("a change event needs its table");
        }
        if (keys == null || kind == null || approximateCreationTime == null) {
            throw new IllegalArgumentException("a change event needs keys, kind and creation time");
        }
        if (sequenceNumber == null || sequenceNumber.isEmpty() || !sequenceNumber.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("sequence number must be decimal digits, got: " + sequenceNumber);
        }
        if (ttlDelete && kind != ChangeKind.REMOVE) {
            throw new IllegalArgumentException("only a remove can be a TTL delete");
        }
        oldImage = oldImage.map(Map::copyOf);
        newImage = newImage.map(Map::copyOf);
    }
}
