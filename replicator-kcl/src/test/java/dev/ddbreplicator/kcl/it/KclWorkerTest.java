package dev.ddbreplicator.kcl.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbreplicator.core.metrics.ReplicationMetrics;
import dev.ddbreplicator.core.status.PairStatus;
import dev.ddbreplicator.core.status.StatusStore;
import dev.ddbreplicator.core.pair.PairRegistry;
import dev.ddbreplicator.kcl.KclWorker;
import dev.ddbreplicator.kcl.config.WorkerConfig;
import dev.ddbreplicator.kcl.health.HealthReport;
import dev.ddbreplicator.kcl.health.WorkerState;
import dev.ddbreplicator.testkit.LocalRegionsExtension;
import dev.ddbreplicator.testkit.LocalS3Extension;
import dev.ddbreplicator.testkit.TableDiff;
import dev.ddbreplicator.testkit.Workload;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The worker on real parts: DynamoDB Local regions with real streams, real KCL, the in-process S3
 * server. KCL takes tens of seconds to start, so the tests share one running worker and build on
 * each other in order: a big workload, a replica outage, then a second worker taking over.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KclWorkerTest {

    @RegisterExtension
    static final LocalRegionsExtension AWS = LocalRegionsExtension.of("us-east-1", "eu-west-1").persistent();

    @RegisterExtension
    static final LocalS3Extension S3 = LocalS3Extension.inMemory();

    private static final Duration START = Duration.ofMinutes(3);
    private static final Duration CATCH_UP = Duration.ofMinutes(3);

    private static LocalPair pair;
    private static KclWorker first;

    @BeforeAll
    static void startWorker() throws InterruptedException {
        pair = new LocalPair(AWS.source(), AWS.replica(), S3.server(), "orders-eu").create();
        first = KclWorker.start(WorkerConfig.parse(pair.workerArgs(0, "--worker-id", "first").toArray(String[]::new)));
        assertThat(first.awaitRunning(START)).as("KCL started: %s", first.health()).isTrue();
    }

    @AfterAll
    static void stopWorkers() {
        if (first != null) {
            first.stop();
        }
        if (pair != null) {
            pair.close();
        }
    }

    @Test
    @Order(1)
    void fiveThousandMixedChangesEndEqualWithHealthUpThroughout() throws Exception {
        try (HealthProbe probe = new HealthProbe(first.healthPort()).start(Duration.ofMillis(250))) {
            long done = Workload.mixed(LocalPair.SHAPE, 1200, 11).run(pair.sourceClient(), LocalPair.SOURCE, 5000, 4);
            TableDiff diff = pair.awaitEqual(CATCH_UP);

            assertThat(done).isEqualTo(5000);
            assertThat(diff.isEqual()).as(diff.toString()).isTrue();
            assertThat(diff.sourceItems()).isGreaterThan(300);
            probe.stop();
            assertThat(probe.answers()).hasSizeGreaterThan(20);
            assertThat(probe.failures()).as("/health answers other than 200").isEmpty();
        }
        HealthReport health = first.health();
        assertThat(health.healthy()).isTrue();
        assertThat(health.leases()).isNotEmpty();
        assertThat(health.shards()).anySatisfy(s -> assertThat(s.lastAppliedSequence()).isPresent());
        assertThat(first.meterRegistry().get(ReplicationMetrics.EVENTS).tag("outcome", "applied").counter().count()).isGreaterThan(1000);
        HealthProbe.Answer metrics = HealthProbe.get(first.healthPort(), "/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("replicator_events_total{outcome=\"applied\",pair=\"orders-eu\"}");
    }

    @Test
    @Order(2)
    void aReplicaRegionDownForTwentySecondsShowsInHealthAndReplicationResumesByItself() throws Exception {
        double failedBefore = count("retryable_failure");
        AtomicBoolean writing = new AtomicBoolean(true);
        try (HealthProbe probe = new HealthProbe(first.healthPort()).start(Duration.ofMillis(250))) {
            // Changes keep coming during the whole outage, so the worker has something to fail on.
            CompletableFuture<Void> workload = CompletableFuture.runAsync(() -> {
                for (int round = 0; writing.get(); round++) {
                    Workload.mixed(LocalPair.SHAPE, 1200, 100 + round).run(pair.sourceClient(), LocalPair.SOURCE, 100, 2);
                }
            });
            Thread.sleep(2000);
            AWS.replica().stop();
            Thread.sleep(20_000);
            AWS.replica().start();
            Thread.sleep(3000);
            writing.set(false);
            workload.get(2, TimeUnit.MINUTES);

            TableDiff diff = pair.awaitEqual(CATCH_UP);
            assertThat(diff.isEqual()).as(diff.toString()).isTrue();
            assertThat(HealthProbe.await(first.healthPort(), "/health", Duration.ofMinutes(1))).as("healthy again").isTrue();
            probe.stop();
            assertThat(probe.failures()).as("/health during the outage")
                    .anySatisfy(answer -> {
                        assertThat(answer.status()).isEqualTo(503);
                        assertThat(answer.body()).contains("writes failing for");
                    });
        }
        assertThat(count("retryable_failure")).as("writes that failed during the outage").isGreaterThan(failedBefore);
        assertThat(first.health().healthy()).isTrue();
    }

    @Test
    @Order(3)
    void aSecondWorkerSharesTheShardsAndTakesThemOverWhenTheFirstStops() throws Exception {
        try (KclWorker second = KclWorker.start(WorkerConfig.parse(pair.workerArgs(0, "--worker-id", "second").toArray(String[]::new)))) {
            assertThat(second.awaitRunning(START)).as("second worker started: %s", second.health()).isTrue();
            Thread.sleep(5000);
            List<String> held = first.health().leases();
            assertThat(held).as("the first worker keeps its shards").isNotEmpty();
            assertThat(second.health().leases()).as("no shard is held twice").doesNotContainAnyElementsOf(held);

            first.stop();
            assertThat(awaitLeases(second, held, Duration.ofMinutes(2))).as("leases handed over: %s", second.health()).isTrue();
            double appliedBefore = second.meterRegistry().get(ReplicationMetrics.EVENTS).tag("outcome", "applied").counter().count();
            Workload.mixed(LocalPair.SHAPE, 1200, 31).run(pair.sourceClient(), LocalPair.SOURCE, 1000, 2);
            TableDiff diff = pair.awaitEqual(CATCH_UP);

            assertThat(diff.isEqual()).as(diff.toString()).isTrue();
            assertThat(second.meterRegistry().get(ReplicationMetrics.EVENTS).tag("outcome", "applied").counter().count())
                    .as("the second worker replicated after the handover").isGreaterThan(appliedBefore);
            assertThat(first.state()).isEqualTo(WorkerState.STOPPED);
            assertThat(HealthProbe.get(second.healthPort(), "/health").status()).isEqualTo(200);
        }
        PairStatus status = new StatusStore(pair.sourceClient(), PairRegistry.DEFAULT_TABLE).read(pair.pairId);
        assertThat(status.applied()).as("status reported to the control table").isGreaterThan(1000);
        assertThat(status.lastSequenceNumber()).isPresent();
    }

    private static boolean awaitLeases(KclWorker worker, List<String> leases, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (worker.health().leases().containsAll(leases)) {
                return true;
            }
            Thread.sleep(500);
        }
        return false;
    }

    private static double count(String outcome) {
        return first.meterRegistry().get(ReplicationMetrics.EVENTS).tag("outcome", outcome).counter().count();
    }
}
