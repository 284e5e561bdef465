package dev.ddbreplicator.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.ddbreplicator.core.model.ChangeEvent;
import dev.ddbreplicator.core.model.ChangeKind;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class LambdaEventMapperTest {

    private final LambdaEventMapper mapper = new LambdaEventMapper(Clock.systemUTC());

    @Test
    void aRecordedEventMapsToChangeEventsOfItsTableWithEveryAttributeTypeAndTheTtlMark() {
        List<SourceBatch> batches = mapper.map(EventLoader.loadDynamoDbEvent("events/all-types.json"));

        assertThat(batches).singleElement().satisfies(batch -> {
            assertThat(batch.table()).isEqualTo("orders");
            assertThat(batch.region()).contains("eu-central-1");
            assertThat(batch.events()).extracting(ChangeEvent::kind).containsExactly(ChangeKind.INSERT, ChangeKind.MODIFY, ChangeKind.REMOVE);
        });
        List<ChangeEvent> events = batches.get(0).events();
        ChangeEvent insert = events.get(0);
        assertThat(insert.sequenceNumber()).isEqualTo("111");
        assertThat(insert.approximateCreationTime()).isEqualTo(Instant.ofEpochSecond(1714557600));
        assertThat(insert.oldImage()).isEmpty();
        assertThat(insert.newImage()).hasValueSatisfying(image -> {
            assertThat(image.get("s")).isEqualTo(AttributeValue.fromS("text"));
            assertThat(image.get("n")).isEqualTo(AttributeValue.fromN("12.5"));
            assertThat(image.get("b")).isEqualTo(AttributeValue.fromB(SdkBytes.fromUtf8String("hello")));
            assertThat(image.get("ss")).isEqualTo(AttributeValue.fromSs(List.of("a", "b")));
            assertThat(image.get("ns")).isEqualTo(AttributeValue.fromNs(List.of("1", "2")));
            assertThat(image.get("bs")).isEqualTo(AttributeValue.fromBs(List.of(SdkBytes.fromUtf8String("hello"))));
            assertThat(image.get("bool")).isEqualTo(AttributeValue.fromBool(true));
            assertThat(image.get("nul")).isEqualTo(AttributeValue.fromNul(true));
            assertThat(image.get("l").l()).containsExactly(AttributeValue.fromS("x"), AttributeValue.fromN("1"));
            assertThat(image.get("m").m()).containsEntry("inner", AttributeValue.fromS("y"));
        });
        assertThat(events.get(1).oldImage()).isPresent();
        assertThat(events.get(1).ttlDelete()).isFalse();
        assertThat(events.get(2).ttlDelete()).as("removed by the DynamoDB service").isTrue();
    }

    @Test
    void recordsOfTwoStreamsBecomeTwoBatchesInOrder() {
        DynamodbEvent event = EventLoader.loadDynamoDbEvent("events/all-types.json");
        List<DynamodbEvent.DynamodbStreamRecord> records = new ArrayList<>(event.getRecords());
        records.get(2).setEventSourceARN("arn:aws:dynamodb:ddblocal:000000000000:table/invoices/stream/2024-01-01T00:00:00.000");
        event.setRecords(records);

        List<SourceBatch> batches = mapper.map(event);

        assertThat(batches).extracting(SourceBatch::table).containsExactly("orders", "invoices");
        assertThat(batches.get(1).region()).as("not a region AWS knows").isEmpty();
        assertThat(batches.get(1).events()).singleElement().satisfies(e -> assertThat(e.table()).isEqualTo("invoices"));
    }

    @Test
    void aRecordThatCannotBeReadFailsTheInvocationNamingIt() {
        DynamodbEvent event = EventLoader.loadDynamoDbEvent("events/all-types.json");
        event.getRecords().get(1).setEventName("UPSERT");

        assertThatThrownBy(() -> mapper.map(event))
                .isInstanceOf(UnreadableRecordException.class)
                .hasMessageStartingWith("record e2 (sequence number 222) of arn:aws:dynamodb:eu-central-1:123456789012:table/orders/stream/");
    }

    @Test
    void anEmptyEventHasNoBatches() {
        assertThat(mapper.map(new DynamodbEvent())).isEmpty();
    }
}
