package dev.ddbreplicator.lambda;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.transformers.v2.dynamodb.DynamodbRecordTransformer;
import dev.ddbreplicator.core.aws.StreamRecordMapper;
import dev.ddbreplicator.core.model.ChangeEvent;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * The Lambda runtime's one mapper into the core: each record of a {@link DynamodbEvent} becomes an
 * SDK v2 stream record through Lambda's own transformer, then a {@link ChangeEvent} through the
 * core's {@link StreamRecordMapper} (which also recognises TTL deletes), grouped by source stream.
 */
public final class LambdaEventMapper {

    private final StreamRecordMapper mapper;

    public LambdaEventMapper(Clock clock) {
        this.mapper = new StreamRecordMapper(clock);
    }

    /**
     * The event's records as change events, one batch per run of records from the same stream.
     *
     * @throws UnreadableRecordException if a record cannot be mapped
     */
    public List<SourceBatch> map(DynamodbEvent event) {
        List<SourceBatch> batches = new ArrayList<>();
        if (event == null || event.getRecords() == null) {
            return batches;
        }
        String arn = null;
        List<ChangeEvent> events = new ArrayList<>();
        for (DynamodbEvent.DynamodbStreamRecord record : event.getRecords()) {
            if (record == null) {
                continue;
            }
            String recordArn = record.getEventSourceARN();
            if (arn != null && !arn.equals(recordArn)) {
                batches.add(batch(arn, events));
                events = new ArrayList<>();
            }
            arn = recordArn;
            events.add(map(record));
        }
        if (!events.isEmpty()) {
            batches.add(batch(arn, events));
        }
        return batches;
    }

    private ChangeEvent map(DynamodbEvent.DynamodbStreamRecord record) {
        try {
            String table = StreamRecordMapper.tableFromArn(record.getEventSourceARN());
            Record v2 = DynamodbRecordTransformer.toRecordV2(record);
            return mapper.map(v2, table);
        } catch (RuntimeException e) {
            String sequence = record.getDynamodb() == null ? null : record.getDynamodb().getSequenceNumber();
            throw new UnreadableRecordException("record " + record.getEventID() + " (sequence number " + sequence + ") of "
                    + record.getEventSourceARN() + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static SourceBatch batch(String arn, List<ChangeEvent> events) {
        return new SourceBatch(arn, events.get(0).table(), regionOf(arn), events);
    }

    /** The region of an ARN ({@code arn:partition:service:region:...}), if it is one AWS knows. */
    static Optional<String> regionOf(String arn) {
        String[] parts = arn.split(":", 5);
        if (parts.length < 5 || parts[3].isEmpty()) {
            return Optional.empty();
        }
        return Region.regions().contains(Region.of(parts[3])) ? Optional.of(parts[3]) : Optional.empty();
    }
}
