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
            probe.close();
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
}
