package dev.ddbreplicator.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbreplicator.core.pair.TtlDeletePolicy;
import dev.ddbreplicator.core.write.WriterSettings;
import dev.ddbreplicator.testkit.LocalRegionsExtension;
import dev.ddbreplicator.testkit.LocalS3Extension;
import dev.ddbreplicator.testkit.StreamReader;
import dev.ddbreplicator.testkit.TableDiff;
import dev.ddbreplicator.testkit.TableShape;
import dev.ddbreplicator.testkit.TestTables;
import dev.ddbreplicator.testkit.Workload;
import dev.ddbreplicator.testkit.lambda.LambdaStreamPoller;
import dev.ddbreplicator.testkit.lambda.PollerStats;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * A replica region that goes away in the middle of the stream: the handler reports where its batch
 * failed, the poller retries from there as Lambda does, and once the region is back nothing is lost
 * and no key was ever written out of order.
 */
class LambdaRegionOutageTest {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final Pattern FIRST = Pattern.compile("\"firstSequence\":\"(\\d+)\"");
    private static final Pattern RETRY = Pattern.compile("\"retryFrom\":\"(\\d+)\"}$");

    @RegisterExtension
    static final LocalRegionsExtension AWS = LocalRegionsExtension.of(LambdaTestStack.SOURCE_REGION, LambdaTestStack.REPLICA_REGION)
            .persistent();

    @RegisterExtension
    static final LocalS3Extension S3 = LocalS3Extension.inMemory();

    private static LambdaTestStack stack;

    @BeforeAll
    static void stack() {
        stack = new LambdaTestStack(AWS.source(), AWS.replica(), S3.server());
    }

    @AfterAll
    static void close() {
        stack.close();
    }

    @Test
    void aReplicaRegionStoppedForAWhileDelaysReplicationAndLosesNothing() throws Exception {
        List<Record> records = sourceWithWorkload("outage", 1000);
        ReplicaWriteLog writes = new ReplicaWriteLog("outage", TableShape.HASH_AND_RANGE.keyNames(), WriterSettings.DEFAULT_VERSION_ATTRIBUTE);
        stack.batchLines.clear();
        ReplicatorHandler handler = stack.handler("outage", writes);
        LambdaStreamPoller poller = stack.poller("outage", handler).batchSize(50).build();

        // The region goes away in the middle of the stream, with writes in flight, and comes back.
        CompletableFuture<Void> outage = CompletableFuture.runAsync(() -> {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (poller.stats().recordsCheckpointed() < 200 && System.nanoTime() < deadline) {
                sleep(5);
            }
            AWS.replica().stop();
            sleep(2500);
            AWS.replica().start();
        });
        PollerStats stats = stack.drain(poller, TIMEOUT);
        outage.get();
        // The drain may have finished the last batches just as the region came back: deliver anything left.
        stats = stack.drain(poller, TIMEOUT);

        assertThat(stats.partialFailures()).as("batches that failed while the region was away").isPositive();
        // Where the outage falls in a batch decides how much of it landed first, so only the failure is asserted.
        assertThat(stack.batchLines).anySatisfy(line -> assertThat(line).containsPattern("\"failed\":[1-9]").contains("Connect"));
        assertThat(stats.recordsDiscarded()).isZero();
        assertThat(stats.recordsCheckpointed()).isEqualTo(records.size());
        assertRetriedFromTheReportedRecord(stack.batchLines);
        assertEqual("outage");
        writes.assertEveryKeyMovedOnlyForward();
    }

    private static List<Record> sourceWithWorkload(String table, int operations) {
        TestTables.createWithStream(stack.sourceClient, table, TableShape.HASH_AND_RANGE);
        TestTables.create(stack.replicaClient, table, TableShape.HASH_AND_RANGE);
        stack.register(table + "-eu", table, table, TtlDeletePolicy.REPLICATE);
        Workload.mixed(TableShape.HASH_AND_RANGE, 600, 3).run(stack.sourceClient, table, operations, 3);
        return new StreamReader(stack.streams).readAll(StreamReader.streamArn(stack.sourceClient, table));
    }

    /** After a batch that answered "retry from X", the next batch starts at X. */
    private static void assertRetriedFromTheReportedRecord(List<String> lines) {
        int retries = 0;
        for (int i = 0; i + 1 < lines.size(); i++) {
            Matcher retry = RETRY.matcher(lines.get(i));
            if (retry.find()) {
                Matcher next = FIRST.matcher(lines.get(i + 1));
                assertThat(next.find()).isTrue();
                assertThat(next.group(1)).as("batch after %s", lines.get(i)).isEqualTo(retry.group(1));
                retries++;
            }
        }
        assertThat(retries).isPositive();
    }

    private static void assertEqual(String table) {
        TableDiff diff = stack.compare(table, table);
        assertThat(diff.isEqual()).as(diff.toString()).isTrue();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
