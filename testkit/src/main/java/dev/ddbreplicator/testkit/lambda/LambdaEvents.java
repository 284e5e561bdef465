package dev.ddbreplicator.testkit.lambda;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.Identity;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamViewType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * Turns DynamoDB Streams records (SDK v2, as GetRecords returns them) into the records of Lambda's
 * {@link DynamodbEvent}, filled as the event source mapping fills them: event id, name, version
 * and source, the function's region, the stream ARN, the creation time, and the user identity
 * that marks TTL deletes. It is the inverse of Lambda's {@code DynamodbEventTransformer}.
 */
public final class LambdaEvents {

    /** The region DynamoDB Local writes into every ARN it makes. */
    static final String LOCAL_REGION = "ddblocal";

    private LambdaEvents() {
    }

    /**
     * The stream ARN as Lambda would show it in {@code eventSourceARN}: DynamoDB Local's placeholder
     * region replaced by the region the stream stands for.
     */
    public static String eventSourceArn(String streamArn, String region) {
        return streamArn.replace(":dynamodb:" + LOCAL_REGION + ":", ":dynamodb:" + region + ":");
    }

    /** One event of the given records, in their order. */
    public static DynamodbEvent event(List<Record> records, String eventSourceArn, String region) {
        List<DynamodbEvent.DynamodbStreamRecord> converted = new ArrayList<>(records.size());
        for (Record record : records) {
            converted.add(record(record, eventSourceArn, region));
        }
        DynamodbEvent event = new DynamodbEvent();
        event.setRecords(converted);
        return event;
    }

    /** One record of a Lambda event. */
    public static DynamodbEvent.DynamodbStreamRecord record(Record record, String eventSourceArn, String region) {
        DynamodbEvent.DynamodbStreamRecord converted = new DynamodbEvent.DynamodbStreamRecord();
        converted.setEventID(record.eventID());
        converted.setEventName(record.eventNameAsString());
        converted.setEventVersion(record.eventVersion() != null ? record.eventVersion() : "1.1");
        converted.setEventSource(record.eventSource() != null ? record.eventSource() : "aws:dynamodb");
        converted.setAwsRegion(region);
        converted.setEventSourceARN(eventSourceArn);
        if (record.userIdentity() != null) {
            Identity identity = new Identity();
            identity.setPrincipalId(record.userIdentity().principalId());
            identity.setType(record.userIdentity().type());
            converted.setUserIdentity(identity);
        }
        software.amazon.awssdk.services.dynamodb.model.StreamRecord data = record.dynamodb();
        StreamRecord stream = new StreamRecord();
        if (data.approximateCreationDateTime() != null) {
            stream.setApproximateCreationDateTime(Date.from(data.approximateCreationDateTime()));
        }
        stream.setKeys(attributes(data.keys()));
        if (data.hasNewImage()) {
            stream.setNewImage(attributes(data.newImage()));
        }
        if (data.hasOldImage()) {
            stream.setOldImage(attributes(data.oldImage()));
        }
        stream.setSequenceNumber(data.sequenceNumber());
        stream.setSizeBytes(data.sizeBytes());
        if (data.streamViewTypeAsString() != null) {
            stream.setStreamViewType(StreamViewType.fromValue(data.streamViewTypeAsString()));
        }
        converted.setDynamodb(stream);
        return converted;
    }

    static Map<String, AttributeValue> attributes(Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> values) {
        Map<String, AttributeValue> converted = new LinkedHashMap<>();
        values.forEach((name, value) -> converted.put(name, attribute(value)));
        return converted;
    }

    static AttributeValue attribute(software.amazon.awssdk.services.dynamodb.model.AttributeValue value) {
        AttributeValue converted = new AttributeValue();
        switch (value.type()) {
            case S -> converted.setS(value.s());
            case N -> converted.setN(value.n());
            case B -> converted.setB(buffer(value.b()));
            case SS -> converted.setSS(value.ss());
            case NS -> converted.setNS(value.ns());
            case BS -> converted.setBS(value.bs().stream().map(LambdaEvents::buffer).toList());
            case M -> converted.setM(attributes(value.m()));
            case L -> converted.setL(value.l().stream().map(LambdaEvents::attribute).toList());
            case BOOL -> converted.setBOOL(value.bool());
            case NUL -> converted.setNULL(Boolean.TRUE);
            default -> throw new IllegalArgumentException("attribute value of unknown type: " + value);
        }
        return converted;
    }

    private static ByteBuffer buffer(SdkBytes bytes) {
        return ByteBuffer.wrap(bytes.asByteArray());
    }
}
