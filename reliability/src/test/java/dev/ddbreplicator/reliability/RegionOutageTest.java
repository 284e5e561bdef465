package dev.ddbreplicator.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbreplicator.cli.CommandRunner;
import dev.ddbreplicator.core.pair.TablePair;
import dev.ddbreplicator.core.verify.VerifyReport;
import dev.ddbreplicator.testkit.LocalRegion;
import dev.ddbreplicator.testkit.LocalRegionsExtension;
import dev.ddbreplicator.testkit.LocalS3Extension;
import dev.ddbreplicator.testkit.TableShape;
import dev.ddbreplicator.testkit.lambda.LambdaStreamPoller;
import dev.ddbreplicator.testkit.lambda.PollerStats;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A region stops while the source takes writes and the Lambda replicator (its event source mapping
 * played by testkit's poller) follows the stream: replication stalls, retries, and catches up once
 * the region is back; {@code verify} then finds the replica equal to the source. The default run
 * stops a region for a few seconds; the {@code long} variants for 60 s.
 */
class RegionOutageTest {

    @RegisterExtension
    static final LocalRegionsExtension AWS = LocalRegionsExtension.of(Stack.SOURCE_REGION, Stack.REPLICA_REGION).persistent();

    @RegisterExtension
    static final LocalS3Extension S3 = LocalS3Extension.inMemory();

    private static final int SHORT_OUTAGE_SECONDS = 4;
    private static final double RATE = 80;

    private static Stack stack;

    @BeforeAll
    static void stack() {
        stack = new Stack(AWS.source(), AWS.replica(), S3.server());
    }

    @AfterAll
    static void close() {
        stack.close();
    }

    @Test
    void replicaRegionStoppedUnderLoadLosesNothing() throws Exception {
        outage("replica-short", AWS.replica(), SHORT_OUTAGE_SECONDS);
    }

    @Test
    void sourceRegionStoppedUnderLoadLosesNothing() throws Exception {
        outage("source-short", AWS.source(), SHORT_OUTAGE_SECONDS);
    }

    @Test
    @Tag("long")
    void replicaRegionStoppedForSixtySecondsUnderLoadLosesNothing() throws Exception {
        outage("replica-long", AWS.replica(), 60);
    }

    @Test
    @Tag("long")
    void sourceRegionStoppedForSixtySecondsUnderLoadLosesNothing() throws Exception {
        outage("source-long", AWS.source(), 60);
    }

    private void outage(String name, LocalRegion stopped, int seconds) throws Exception {
        TablePair pair = stack.pair(name, name, name + "-replica", TableShape.HASH_AND_RANGE);
        try (LambdaReplicator lambda = new LambdaReplicator(stack);
             LambdaStreamPoller poller = lambda.poller(pair.sourceTable()).build();
             SteadyLoad load = new SteadyLoad(stack.sourceClient(), pair.sourceTable(), TableShape.HASH_AND_RANGE, 400, RATE, 4, name.hashCode())) {
            poller.start();
            load.start().awaitMore(100, Duration.ofMinutes(1));
            long before = load.succeeded();
            PollerStats beforeOutage = poller.stats();
            stopped.stop();
            Thread.sleep(seconds * 1000L);
            stopped.start();
            load.awaitMore(100, Duration.ofMinutes(1));
            long writes = load.stop();
            PollerStats stats = poller.awaitCaughtUp(Duration.ofMinutes(3));

            VerifyReport report = stack.awaitEqual(pair, Duration.ofMinutes(1));
            CommandRunner.Run verify = stack.cli("verify", "--pair", pair.id());
            Results.record(stopped == AWS.replica() ? "replica region stopped " + seconds + " s" : "source region stopped " + seconds + " s",
                    Math.round(RATE) + " writes/s, " + writes + " writes accepted (" + load.failed() + " refused while down), Lambda replicator",
                    report.isEqual() ? "caught up; verify equal (" + report.sourceItems() + " items); " + (stats.failedInvocations()
                            - beforeOutage.failedInvocations()) + " failed invocations retried" : "NOT EQUAL: " + report,
                    report.missing() + report.different() + report.extra());

            assertThat(before).as("writes before the outage").isGreaterThan(50);
            assertThat(writes - before).as("writes during and after the outage").isGreaterThan(50);
            assertThat(report.isEqual()).as(report.toString() + "; last batch: " + lambda.lastBatchLine()).isTrue();
            assertThat(verify.code()).as(verify.toString()).isZero();
            assertThat(verify.out()).contains("equal");
            if (stopped == AWS.replica()) {
                assertThat(stats.failedInvocations()).as("batches failed while the replica was down, and were retried").isPositive();
            } else {
                assertThat(load.failed()).as("writes the stopped source refused").isPositive();
            }
        }
    }
}
