package dev.ddbreplicator.core.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbreplicator.core.model.ChangeEvent;
import dev.ddbreplicator.core.model.ChangeKind;
import dev.ddbreplicator.core.model.ItemKey;
import dev.ddbreplicator.core.pair.PairRegistry;
import dev.ddbreplicator.core.pair.TablePair;
import dev.ddbreplicator.core.retry.Retrier;
import dev.ddbreplicator.core.retry.RetryPolicy;
import dev.ddbreplicator.core.write.BatchResult;
import dev.ddbreplicator.core.write.EventOutcome;
import dev.ddbreplicator.core.write.WriteOutcome;
import dev.ddbreplicator.testkit.LocalRegionsExtension;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class StatusReporterTest {

    @RegisterExtension
    static final LocalRegionsExtension AWS = LocalRegionsExtension.of("us-east-1");

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:10Z");

    @Test
    void reportsFromSeveralProcessesAddUpInOneItemThatTheRegistryIgnores() {
        try (DynamoDbClient client = AWS.source().client()) {
            PairRegistry registry = new PairRegistry(client, "control", Clock.fixed(NOW, ZoneOffset.UTC), Duration.ZERO,
                    new Retrier(RetryPolicy.CONTROL));
            registry.add(TablePair.of("orders", "Orders", "us-east-1", "Orders", "eu-west-1", NOW));
            StatusStore store = new StatusStore(client, "control");
            StatusReporter first = new StatusReporter("orders", store, Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofSeconds(10));
            StatusReporter second = new StatusReporter("orders", store, Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofSeconds(10));

            first.record(batch(WriteOutcome.APPLIED, WriteOutcome.APPLIED, WriteOutcome.STALE));
            first.retried(1, new RuntimeException());
            second.record(batch(WriteOutcome.POISON, WriteOutcome.SKIPPED, WriteOutcome.RETRYABLE_FAILURE));
            first.flush();
            second.flush();
            second.flush();

            PairStatus status = store.read("orders");
            assertThat(status.applied()).isEqualTo(2);
            assertThat(status.stale()).isEqualTo(1);
            assertThat(status.poison()).isEqualTo(1);
            assertThat(status.skipped()).isEqualTo(1);
            assertThat(status.retried()).isEqualTo(1);
            assertThat(status.lastSequenceNumber()).contains("2");
            assertThat(status.lagMillis()).isEqualTo(5000);
            assertThat(status.updatedAt()).contains(NOW);
            assertThat(registry.list()).extracting(TablePair::id).containsExactly("orders");
            assertThat(store.read("unknown")).isEqualTo(PairStatus.empty("unknown"));
        }
    }

    @Test
    void aReporterWaitsForItsIntervalBeforeWriting() {
        try (DynamoDbClient client = AWS.source().client()) {
            new PairRegistry(client, "control2", Clock.systemUTC(), Duration.ZERO, new Retrier(RetryPolicy.CONTROL))
                    .add(TablePair.of("p", "Orders", "us-east-1", "Orders", "eu-west-1", NOW));
            StatusStore store = new StatusStore(client, "control2");
            StatusReporter reporter = new StatusReporter("p", store, Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofSeconds(10));

            reporter.written(batch(WriteOutcome.APPLIED));

            assertThat(store.read("p").applied()).isZero();
            reporter.close();
            assertThat(store.read("p").applied()).isEqualTo(1);
        }
    }

    private static BatchResult batch(WriteOutcome... outcomes) {
        List<EventOutcome> list = new java.util.ArrayList<>();
        for (int i = 0; i < outcomes.length; i++) {
            ChangeEvent event = new ChangeEvent("Orders", new ItemKey(Map.of("pk", AttributeValue.fromS("k" + i))), Optional.empty(),
                    Optional.of(Map.of("pk", AttributeValue.fromS("k" + i))), ChangeKind.INSERT, Integer.toString(i + 1),
                    NOW.minusSeconds(5), false);
            list.add(new EventOutcome(event, outcomes[i], ""));
        }
        return new BatchResult(list);
    }
}
