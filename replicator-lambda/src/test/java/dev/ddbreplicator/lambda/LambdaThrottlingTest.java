package dev.ddbreplicator.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbreplicator.core.pair.TtlDeletePolicy;
import dev.ddbreplicator.core.write.ReplicaVersion;
import dev.ddbreplicator.core.write.WriterSettings;
import dev.ddbreplicator.testkit.FaultInjector;
import dev.ddbreplicator.testkit.LocalRegionsExtension;
import dev.ddbreplicator.testkit.LocalS3Extension;
import dev.ddbreplicator.testkit.StreamReader;
import dev.ddbreplicator.testkit.TableDiff;
import dev.ddbreplicator.testkit.TableShape;
import dev.ddbreplicator.testkit.TestTables;
import dev.ddbreplicator.testkit.Workload;
import dev.ddbreplicator.testkit.lambda.PollerStats;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * A hot partition of the replica: writes of some keys are throttled in the middle of batches. The
 * handler reports where it failed, the poller retries from there as Lambda does, and in the end
 * nothing is lost and no key was ever written out of order.
 */
class LambdaThrottlingTest {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final Pattern FIRST = Pattern.compile("\"firstSequence\":\"(\\d+)\"");
    private static final Pattern RETRY = Pattern.compile("\"retryFrom\":\"(\\d+)\"}$");

    @RegisterExtension
    static final LocalRegionsExtension AWS = LocalRegionsExtension.of(LambdaTestStack.SOURCE_REGION, LambdaTestStack.REPLICA_REGION);

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
    void throttlingOfSomeKeysIsRetriedFromTheReportedRecordAndLosesNothing() {
        List<Record> records = sourceWithWorkload("hot", 1500);
        Set<AttributeValue> hot = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            hot.add(AttributeValue.fromS("k" + i));
        }
        FaultInjector injector = new FaultInjector(0.75, 17, "PutItem", "DeleteItem", "TransactWriteItems");
        ReplicaWriteLog writes = new ReplicaWriteLog("hot", TableShape.HASH_AND_RANGE.keyNames(), WriterSettings.DEFAULT_VERSION_ATTRIBUTE);
        stack.batchLines.clear();
        ReplicatorHandler handler = stack.handler("throttled", new HotKeyThrottling(injector, "hot", "pk", hot), writes);

        PollerStats stats = stack.drain(stack.poller("hot", handler).batchSize(100).build(), TIMEOUT);

        assertThat(injector.injected()).as("throttled writes").isGreaterThan(20);
        assertThat(stats.partialFailures()).as("batches that reported a failed record").isPositive();
        assertThat(stats.functionErrors()).isZero();
        assertThat(stats.recordsDiscarded()).isZero();
        assertThat(stats.recordsCheckpointed()).isEqualTo(records.size());
        assertRetriedFromTheReportedRecord(stack.batchLines);
        assertEqual("hot");
        writes.assertEveryKeyMovedOnlyForward();
        // Every key's last accepted write is its last change in the stream: no change was skipped.
        assertThat(writes.lastVersions()).isEqualTo(lastChangePerKey(records));
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

    private static Map<Map<String, AttributeValue>, String> lastChangePerKey(List<Record> records) {
        Map<Map<String, AttributeValue>, String> last = new HashMap<>();
        for (Record record : records) {
            last.put(record.dynamodb().keys(), ReplicaVersion.of(record.dynamodb().sequenceNumber()).value());
        }
        return last;
    }
}
