package dev.ddbreplicator.core.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ddbreplicator.core.model.ChangeEvent;
import dev.ddbreplicator.core.model.ChangeKind;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Identity;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;

class StreamRecordMapperTest {

    private final StreamRecordMapper mapper = new StreamRecordMapper(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));

    @Test
    void mapsARemoveByTheTtlServiceAsATtlDelete() {
        Record record = remove(Identity.builder().type("Service").principalId("dynamodb.amazonaws.com").build());

        ChangeEvent event = mapper.map(record, "Orders");

        assertThat(event.kind()).isEqualTo(ChangeKind.REMOVE);
        assertThat(event.ttlDelete()).isTrue();
        assertThat(event.newImage()).isEmpty();
        assertThat(event.oldImage()).isPresent();
        assertThat(event.sequenceNumber()).isEqualTo("111");
    }

    @Test
    void aRemoveByAUserIsNotATtlDelete() {
        assertThat(mapper.map(remove(null), "Orders").ttlDelete()).isFalse();
        assertThat(mapper.map(remove(Identity.builder().type("Service").principalId("other.amazonaws.com").build()), "Orders").ttlDelete())
                .isFalse();
    }

    @Test
    void findsTheTableInAStreamArn() {
        assertThat(StreamRecordMapper.tableFromArn("arn:aws:dynamodb:us-east-1:123456789012:table/Orders/stream/2026-01-01T00:00:00.000"))
                .isEqualTo("Orders");
        assertThatThrownBy(() -> StreamRecordMapper.tableFromArn("arn:aws:s3:::bucket")).hasMessageContaining("not a DynamoDB");
    }

    private static Record remove(Identity identity) {
        return Record.builder()
                .eventName(OperationType.REMOVE)
                .userIdentity(identity)
                .dynamodb(StreamRecord.builder()
                        .keys(Map.of("pk", AttributeValue.fromS("a")))
                        .oldImage(Map.of("pk", AttributeValue.fromS("a"), "expires", AttributeValue.fromN("1")))
                        .sequenceNumber("111")
                        .approximateCreationDateTime(Instant.parse("2026-01-01T00:00:00Z"))
                        .build())
                .build();
    }
}
