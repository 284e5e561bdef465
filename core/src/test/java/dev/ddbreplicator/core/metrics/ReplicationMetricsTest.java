package dev.ddbreplicator.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbreplicator.core.model.ChangeEvent;
import dev.ddbreplicator.core.model.ChangeKind;
import dev.ddbreplicator.core.model.ItemKey;
import dev.ddbreplicator.core.write.BatchResult;
import dev.ddbreplicator.core.write.EventOutcome;
import dev.ddbreplicator.core.write.WriteOutcome;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class ReplicationMetricsTest {

    @Test
    void countsOutcomesAndRecordsLagPerPair() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ReplicationMetrics metrics = new ReplicationMetrics(registry, "orders");
        Instant now = Instant.parse("2026-01-01T00:00:10Z");

        metrics.record(new BatchResult(List.of(
                new EventOutcome(event("1", now.minusMillis(400)), WriteOutcome.APPLIED, ""),
                new EventOutcome(event("2", now.minusMillis(200)), WriteOutcome.STALE, ""),
                new EventOutcome(event("3", now.minusMillis(100)), WriteOutcome.RETRYABLE_FAILURE, "x"))), Duration.ofMillis(30), now);
        metrics.retryListener().retrying(1, new RuntimeException());

        assertThat(registry.get(ReplicationMetrics.EVENTS).tags("pair", "orders", "outcome", "applied").counter().count()).isEqualTo(1);
        assertThat(registry.get(ReplicationMetrics.EVENTS).tags("pair", "orders", "outcome", "stale").counter().count()).isEqualTo(1);
        assertThat(registry.get(ReplicationMetrics.RETRIES).tags("pair", "orders").counter().count()).isEqualTo(1);
        assertThat(registry.get(ReplicationMetrics.LAG).tags("pair", "orders").summary().count()).isEqualTo(2);
        assertThat(registry.get(ReplicationMetrics.LAG).summary().max()).isEqualTo(400);
        assertThat(registry.get(ReplicationMetrics.BATCH_TIME).timer().count()).isEqualTo(1);
        assertThat(metrics.lastSequenceNumber()).isEqualTo("2");
        assertThat(metrics.lastLagMillis()).isEqualTo(200);
    }

    private static ChangeEvent event(String sequence, Instant created) {
        return new ChangeEvent("t", new ItemKey(Map.of("pk", AttributeValue.fromS(sequence))), Optional.empty(),
                Optional.of(Map.of("pk", AttributeValue.fromS(sequence))), ChangeKind.INSERT, sequence, created, false);
    }
}
