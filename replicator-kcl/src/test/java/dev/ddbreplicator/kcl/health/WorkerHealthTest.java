package dev.ddbreplicator.kcl.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbreplicator.core.model.ChangeEvent;
import dev.ddbreplicator.core.model.ChangeKind;
import dev.ddbreplicator.core.model.ItemKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class WorkerHealthTest {

    private static final Duration SILENCE = Duration.ofSeconds(30);

    private final MutableClock clock = new MutableClock();
    private final WorkerHealth health = new WorkerHealth("orders", "ddb-replicator-orders", "host-1", clock, SILENCE, Duration.ofMinutes(10));

    @Test
    void startingIsHealthyForAWhileThenNot() {
        assertThat(health.report().healthy()).isTrue();
        assertThat(health.report().state()).isEqualTo(WorkerState.STARTING);

        clock.advance(Duration.ofMinutes(11));

        assertThat(health.report().healthy()).isFalse();
        assertThat(health.report().reason()).hasValueSatisfying(r -> assertThat(r).contains("has not finished starting"));
    }

    @Test
    void aRunningWorkerWithoutShardsIsAHealthyStandby() {
        health.state(WorkerState.RUNNING);
        clock.advance(Duration.ofHours(1));

        assertThat(health.report().healthy()).isTrue();
    }

    @Test
    void aShardSilentForTooLongMakesTheWorkerUnhealthyAndAPollHealsIt() {
        health.state(WorkerState.RUNNING);
        ShardProgress shard = health.track("shard-1");
        shard.polled();

        clock.advance(SILENCE.plusSeconds(1));
        assertThat(health.report().healthy()).isFalse();
        assertThat(health.report().reason()).hasValueSatisfying(r -> assertThat(r).contains("shard-1: no successful poll or write for 31 s"));

        shard.polled();
        assertThat(health.report().healthy()).isTrue();
    }

    @Test
    void aSlowWriteIsNotTroubleButAFailingOneIsOnceItHasFailedForTooLong() {
        health.state(WorkerState.RUNNING);
        ShardProgress shard = health.track("shard-1");
        shard.polled();
        shard.writing();

        clock.advance(Duration.ofMinutes(2));
        assertThat(health.report().healthy()).as("a write running for 2 minutes on a busy host").isTrue();

        shard.failing("SdkClientException: connection refused");
        clock.advance(Duration.ofSeconds(20));
        shard.writing();
        assertThat(health.report().healthy()).as("failing for 20 s only").isTrue();
        clock.advance(Duration.ofSeconds(11));
        assertThat(health.report().healthy()).isFalse();
        assertThat(health.report().reason()).hasValueSatisfying(r -> assertThat(r)
                .contains("writes failing for 31 s").contains("connection refused"));

        shard.wrote();
        assertThat(health.report().healthy()).isTrue();
    }

    @Test
    void aWriteThatHangsForMinutesIsTrouble() {
        health.state(WorkerState.RUNNING);
        ShardProgress shard = health.track("shard-1");
        shard.writing();

        clock.advance(Duration.ofMinutes(6));

        assertThat(health.report().reason()).hasValueSatisfying(r -> assertThat(r).contains("one write has been running for 360 s"));
    }

    @Test
    void stoppingAndFailedAreUnhealthyAndStayThatWay() {
        health.state(WorkerState.RUNNING);
        health.state(WorkerState.STOPPING);
        assertThat(health.report().healthy()).isFalse();
        health.state(WorkerState.RUNNING);
        assertThat(health.report().state()).as("KCL's late reports do not revive a stopping worker").isEqualTo(WorkerState.STOPPING);

        health.failed("KCL could not initialize");
        health.state(WorkerState.RUNNING);
        assertThat(health.report().state()).isEqualTo(WorkerState.FAILED);
        assertThat(health.report().reason()).contains("failed: KCL could not initialize");
    }

    @Test
    void theReportSaysWhatTheWorkerHoldsAndHowFarItIs() {
        health.state(WorkerState.RUNNING);
        health.leasesFrom(() -> List.of("shard-1"));
        health.lagFrom(() -> 420);
        ShardProgress shard = health.track("shard-1");
        shard.polled();
        shard.finished(new ChangeEvent("orders", new ItemKey(Map.of("pk", AttributeValue.fromS("a"))), Optional.empty(),
                Optional.of(Map.of("pk", AttributeValue.fromS("a"))), ChangeKind.INSERT, "000000000000000000042", clock.instant(), false));

        String json = health.report().toJson();

        assertThat(json).startsWith("{\"status\":\"UP\",\"state\":\"RUNNING\"")
                .contains("\"pair\":\"orders\"", "\"worker\":\"host-1\"", "\"leasesHeld\":1", "\"lagMillis\":420",
                        "\"leases\":[\"shard-1\"]", "\"shard-1\":{\"lastAppliedSequence\":\"000000000000000000042\"",
                        "\"failingForMillis\":-1")
                .doesNotContain("\n");
    }
}
