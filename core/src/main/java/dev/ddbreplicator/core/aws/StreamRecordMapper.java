package dev.ddbreplicator.core.aws;

import dev.ddbreplicator.core.model.ChangeEvent;
import dev.ddbreplicator.core.model.ChangeKind;
import dev.ddbreplicator.core.model.ItemKey;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Identity;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;

/**
 * Turns a DynamoDB Streams record (SDK v2 model, as KCL's adapter and Lambda's transformer both
 * deliver it) into a {@link ChangeEvent}. Stream records do not name their table, so the caller
 * says which it is.
 */
public final class StreamRecordMapper {

    /** The principal DynamoDB names when its TTL process deletes an item. */
    static final String TTL_PRINCIPAL = "dynamodb.amazonaws.com";

    private final Clock clock;

    public StreamRecordMapper(Clock clock) {
        this.clock = clock;
    }

    public ChangeEvent map(Record record, String table) {
        StreamRecord data = record.dynamodb();
        if (data == null || data.keys() == null || data.keys().isEmpty()) {
            throw new IllegalArgumentException("stream record " + record.eventID() + " has no keys");
        }
        ChangeKind kind = kind(record);
        Instant created = data.approximateCreationDateTime() != null ? data.approximateCreationDateTime() : clock.instant();
        return new ChangeEvent(table, new ItemKey(data.keys()), image(data.oldImage(), data.hasOldImage()),
                image(data.newImage(), data.hasNewImage()), kind, data.sequenceNumber(), created,
                kind == ChangeKind.REMOVE && isTtl(record.userIdentity()));
    }

    /** The table name in a stream or table ARN ({@code arn:aws:dynamodb:r:a:table/NAME/stream/...}). */
    public static String tableFromArn(String arn) {
        int start = arn == null ? -1 : arn.indexOf(":table/");
        if (start < 0) {
            throw new IllegalArgumentException("not a DynamoDB table or stream ARN: " + arn);
        }
        String rest = arn.substring(start + ":table/".length());
        int end = rest.indexOf('/');
        return end < 0 ? rest : rest.substring(0, end);
    }

    private static ChangeKind kind(Record record) {
        OperationType type = record.eventName();
        if (type == null || type == OperationType.UNKNOWN_TO_SDK_VERSION) {
            throw new IllegalArgumentException("stream record " + record.eventID() + " has unknown event name " + record.eventNameAsString());
        }
        return ChangeKind.valueOf(type.name());
    }

    private static Optional<Map<String, AttributeValue>> image(Map<String, AttributeValue> image, boolean present) {
        return present && image != null && !image.isEmpty() ? Optional.of(image) : Optional.empty();
    }

    private static boolean isTtl(Identity identity) {
        return identity != null && "Service".equals(identity.type()) && TTL_PRINCIPAL.equals(identity.principalId());
    }
}
