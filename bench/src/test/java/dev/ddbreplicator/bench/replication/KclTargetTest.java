package dev.ddbreplicator.bench.replication;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KclTargetTest {

    @Test
    void finishedEventsAreTheOutcomesThatEndAnEventSummedOverPairs() {
        String metrics = """
                # HELP replicator_events_total change events by what became of them
                # TYPE replicator_events_total counter
                replicator_events_total{outcome="applied",pair="p"} 1200.0
                replicator_events_total{outcome="stale",pair="p"} 30.0
                replicator_events_total{outcome="skipped",pair="p"} 2.0
                replicator_events_total{outcome="poison",pair="p"} 1.0
                replicator_events_total{outcome="retryable_failure",pair="p"} 500.0
                replicator_writes_retried_total{pair="p"} 7.0
                """;

        assertThat(KclTarget.finished(metrics)).isEqualTo(1233);
    }
}
