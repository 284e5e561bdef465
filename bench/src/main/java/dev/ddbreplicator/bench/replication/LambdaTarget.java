package dev.ddbreplicator.bench.replication;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.ddbreplicator.bench.stack.Stack;
import dev.ddbreplicator.bench.stack.StackServer;
import dev.ddbreplicator.core.pair.PairRegistry;
import dev.ddbreplicator.core.write.TombstoneTable;
import dev.ddbreplicator.core.write.WriterSettings;
import dev.ddbreplicator.lambda.LambdaConfig;
import dev.ddbreplicator.lambda.LambdaEventMapper;
import dev.ddbreplicator.lambda.LambdaWiring;
import dev.ddbreplicator.lambda.ReplicatorHandler;
import dev.ddbreplicator.testkit.StreamReader;
import dev.ddbreplicator.testkit.lambda.LambdaStreamPoller;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Lambda replicator as its deployment wires it ({@link LambdaWiring}, the SAM template's batch
 * size of 1,000 and bisecting), driven by the testkit's event source mapping emulator, which
 * polls an idle shard 4 times a second as Lambda does. Runs in this JVM: one execution environment.
 */
final class LambdaTarget implements Target {

    /** Lambda polls a stream's shard about 4 times a second. */
    static final Duration LAMBDA_POLL = Duration.ofMillis(250);

    private final ReplicatorHandler handler;
    private final LambdaStreamPoller poller;
    private final AtomicLong finished = new AtomicLong();

    LambdaTarget(Stack stack, String sourceTable, int writerConcurrency) {
        LambdaConfig config = new LambdaConfig(StackServer.SOURCE_REGION, PairRegistry.DEFAULT_TABLE, StackServer.SOURCE_REGION,
                ReplicationBench.DLQ_BUCKET, "", Optional.empty(), writerConcurrency, TombstoneTable.DEFAULT_NAME,
                PairRegistry.DEFAULT_CACHE);
        this.handler = new ReplicatorHandler(new LambdaEventMapper(Clock.systemUTC()),
                LambdaWiring.create(config, stack.settings(), Optional.empty(), line -> { }));
        RequestHandler<DynamodbEvent, StreamsEventResponse> counting = this::handle;
        this.poller = LambdaStreamPoller.builder(stack.clients().streams(StackServer.SOURCE_REGION),
                        StreamReader.streamArn(stack.sourceClient(), sourceTable), counting)
                .region(StackServer.SOURCE_REGION)
                .batchSize(1000)
                .bisectBatchOnFunctionError(true)
                .idleWait(LAMBDA_POLL)
                .build();
        poller.start();
    }

    static int defaultConcurrency() {
        return WriterSettings.DEFAULT_CONCURRENCY;
    }

    private StreamsEventResponse handle(DynamodbEvent event, Context context) {
        StreamsEventResponse response = handler.handleRequest(event, context);
        int done = event.getRecords().size();
        if (response != null && response.getBatchItemFailures() != null && !response.getBatchItemFailures().isEmpty()) {
            String first = response.getBatchItemFailures().get(0).getItemIdentifier();
            for (int i = 0; i < event.getRecords().size(); i++) {
                if (event.getRecords().get(i).getDynamodb().getSequenceNumber().equals(first)) {
                    done = i;
                    break;
                }
            }
        }
        finished.addAndGet(done);
        return response;
    }

    @Override
    public String name() {
        return "Lambda handler";
    }

    @Override
    public long finishedEvents() {
        return finished.get();
    }

    @Override
    public void pause() {
        poller.stop();
    }

    @Override
    public void resume() {
        poller.start();
    }

    @Override
    public void close() {
        poller.close();
    }
}
