package dev.ddbreplicator.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.ddbreplicator.core.pair.TablePair;
import dev.ddbreplicator.core.verify.VerifyReport;
import dev.ddbreplicator.testkit.FaultInjector;
import dev.ddbreplicator.testkit.LocalRegionsExtension;
import dev.ddbreplicator.testkit.LocalS3Extension;
import dev.ddbreplicator.testkit.TableShape;
import dev.ddbreplicator.testkit.lambda.LambdaStreamPoller;
import dev.ddbreplicator.testkit.lambda.PollerStats;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Storms on the Lambda replicator while the source takes writes: half of all replica writes
 * throttled for a while, and invocations that fail at random records, both as a function error
 * after part of the batch was written (the event source mapping bisects and retries) and as a
 * reported batch item failure. Nothing may be lost or given up on.
 */
class StormTest {

    @RegisterExtension
    static final LocalRegionsExtension AWS = LocalRegionsExtension.of(Stack.SOURCE_REGION, Stack.REPLICA_REGION);

    @RegisterExtension
    static final LocalS3Extension S3 = LocalS3Extension.inMemory();

    private static final String[] WRITES = {"PutItem", "DeleteItem", "TransactWriteItems"};
    private static final double RATE = 100;

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
    void halfOfAllReplicaWritesThrottledForAWhileLosesNothing() throws Exception {
        TablePair pair = stack.pair("throttled", "throttled", "throttled-replica", TableShape.HASH_AND_RANGE);
        FaultInjector storm = new FaultInjector(0, 17, WRITES);
        try (LambdaReplicator lambda = new LambdaReplicator(stack, storm);
             LambdaStreamPoller poller = lambda.poller(pair.sourceTable()).batchSize(100).build();
             SteadyLoad load = new SteadyLoad(stack.sourceClient(), pair.sourceTable(), TableShape.HASH_AND_RANGE, 300, RATE, 4, 5)) {
            poller.start();
            load.start().awaitMore(100, Duration.ofMinutes(1));
            storm.share(0.5);
            Thread.sleep(6000);
            storm.share(0);
            load.awaitMore(100, Duration.ofMinutes(1));
            long writes = load.stop();
            PollerStats stats = poller.awaitCaughtUp(Duration.ofMinutes(2));
            VerifyReport report = stack.awaitEqual(pair, Duration.ofSeconds(30));
            Results.record("50% of replica writes throttled for 6 s (FaultInjector)", Math.round(RATE) + " writes/s, " + writes
                            + " writes, Lambda replicator",
                    (report.isEqual() ? "verify equal (" + report.sourceItems() + " items)" : "NOT EQUAL " + report) + "; "
                            + storm.injected() + " writes throttled, " + stats.failedInvocations() + " failed invocations retried",
                    report.missing() + report.different() + report.extra());

            assertThat(storm.injected()).as("writes throttled").isGreaterThan(100);
            assertThat(stats.recordsDiscarded()).isZero();
            assertThat(report.isEqual()).as(report + "; last batch " + lambda.lastBatchLine()).isTrue();
        }
    }

    @Test
    void invocationsFailingAtRandomRecordsAreBisectedAndRetriedAndLoseNothing() throws Exception {
        TablePair pair = stack.pair("flaky", "flaky", "flaky-replica", TableShape.HASH_ONLY);
        try (LambdaReplicator lambda = new LambdaReplicator(stack);
             SteadyLoad load = new SteadyLoad(stack.sourceClient(), pair.sourceTable(), TableShape.HASH_ONLY, 200, RATE, 4, 9)) {
            FlakyFunction flaky = new FlakyFunction(lambda.handler, 0.35, 23);
            try (LambdaStreamPoller poller = lambda.poller(pair.sourceTable(), flaky).batchSize(100).maximumRetryAttempts(10_000).build()) {
                poller.start();
                load.start();
                Thread.sleep(7000);
                long writes = load.stop();
                PollerStats stats = poller.awaitCaughtUp(Duration.ofMinutes(2));
                VerifyReport report = stack.awaitEqual(pair, Duration.ofSeconds(30));
                Results.record("Lambda invocations failing at random records (35%: function error after a partial write, or a"
                                + " batch item failure); bisect on, retries as the SAM template", Math.round(RATE) + " writes/s, " + writes
                                + " writes",
                        (report.isEqual() ? "verify equal (" + report.sourceItems() + " items)" : "NOT EQUAL " + report) + "; "
                                + flaky.functionErrors.get() + " function errors, " + flaky.itemFailures.get() + " item failures, "
                                + stats.bisections() + " bisections, " + stats.recordsDiscarded() + " records given up",
                        report.missing() + report.different() + report.extra());

                assertThat(flaky.functionErrors.get()).isGreaterThan(3);
                assertThat(flaky.itemFailures.get()).isGreaterThan(3);
                assertThat(stats.bisections()).as("batches split after a function error").isPositive();
                assertThat(stats.recordsDiscarded()).isZero();
                assertThat(report.isEqual()).as(report + "; last batch " + lambda.lastBatchLine()).isTrue();
            }
        }
    }

    /**
     * The real handler, failing at random: a function error after it has written the records before
     * a random one (a crash midway), or a batch item failure naming a random record it did write.
     */
    static final class FlakyFunction implements RequestHandler<DynamodbEvent, StreamsEventResponse> {
        private final RequestHandler<DynamodbEvent, StreamsEventResponse> real;
        private final double share;
        private final Random random;
        final AtomicLong functionErrors = new AtomicLong();
        final AtomicLong itemFailures = new AtomicLong();

        FlakyFunction(RequestHandler<DynamodbEvent, StreamsEventResponse> real, double share, long seed) {
            this.real = real;
            this.share = share;
            this.random = new Random(seed);
        }

        @Override
        public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
            List<DynamodbEvent.DynamodbStreamRecord> records = event.getRecords();
            double dice;
            int at;
            synchronized (random) {
                dice = random.nextDouble();
                at = random.nextInt(records.size());
            }
            if (dice < share / 2) {
                DynamodbEvent partial = new DynamodbEvent();
                partial.setRecords(records.subList(0, at));
                if (at > 0) {
                    real.handleRequest(partial, context);
                }
                functionErrors.incrementAndGet();
                throw new IllegalStateException("injected crash after " + at + " of " + records.size() + " records");
            }
            StreamsEventResponse response = real.handleRequest(event, context);
            boolean failedAlready = response != null && response.getBatchItemFailures() != null && !response.getBatchItemFailures().isEmpty();
            if (dice < share && !failedAlready) {
                itemFailures.incrementAndGet();
                return StreamsEventResponse.builder().withBatchItemFailures(List.of(StreamsEventResponse.BatchItemFailure.builder()
                        .withItemIdentifier(records.get(at).getDynamodb().getSequenceNumber()).build())).build();
            }
            return response;
        }
    }
}
