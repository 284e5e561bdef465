package dev.ddbreplicator.reliability;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.ddbreplicator.core.aws.AwsSettings;
import dev.ddbreplicator.core.pair.PairRegistry;
import dev.ddbreplicator.core.write.TombstoneTable;
import dev.ddbreplicator.lambda.LambdaConfig;
import dev.ddbreplicator.lambda.LambdaEventMapper;
import dev.ddbreplicator.lambda.LambdaWiring;
import dev.ddbreplicator.lambda.ReplicatorHandler;
import dev.ddbreplicator.testkit.StreamReader;
import dev.ddbreplicator.testkit.lambda.LambdaStreamPoller;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * The Lambda replicator as deployed (handler built by {@link LambdaWiring} from a {@link LambdaConfig}),
 * fed by testkit's event source mapping emulator on the stack's real stream.
 */
final class LambdaReplicator implements AutoCloseable {

    final List<String> batchLines = new CopyOnWriteArrayList<>();
    final ReplicatorHandler handler;
    private final DynamoDbStreamsClient streams;
    private final Stack stack;

    LambdaReplicator(Stack stack, ExecutionInterceptor... interceptors) {
        this(stack, AwsBasicCredentials.create("lambda", "local"), interceptors);
    }

    LambdaReplicator(Stack stack, AwsCredentials credentials, ExecutionInterceptor... interceptors) {
        this.stack = stack;
        LambdaConfig config = new LambdaConfig(Stack.SOURCE_REGION, PairRegistry.DEFAULT_TABLE, Stack.SOURCE_REGION, Stack.DLQ_BUCKET, "",
                Optional.empty(), 16, TombstoneTable.DEFAULT_NAME, Duration.ofSeconds(60));
        AwsSettings aws = new AwsSettings(Map.of(Stack.SOURCE_REGION, stack.source.endpoint(), Stack.REPLICA_REGION, stack.replica.endpoint()),
                Optional.of(stack.s3.endpoint()), Optional.of(StaticCredentialsProvider.create(credentials)), 64, Duration.ofSeconds(5),
                List.of(interceptors));
        this.handler = new ReplicatorHandler(new LambdaEventMapper(Clock.systemUTC()), LambdaWiring.create(config, aws, Optional.empty(),
                batchLines::add));
        this.streams = stack.source.streamsClient();
    }

    /** A poller set as the SAM template sets the event source (bisect on, retries forever) for this handler. */
    LambdaStreamPoller.Builder poller(String sourceTable) {
        return poller(sourceTable, handler);
    }

    /** The same poller for another handler (one that wraps this one). */
    LambdaStreamPoller.Builder poller(String sourceTable, RequestHandler<DynamodbEvent, StreamsEventResponse> target) {
        return LambdaStreamPoller.builder(streams, StreamReader.streamArn(stack.sourceClient(), sourceTable), target)
                .region(Stack.SOURCE_REGION)
                .bisectBatchOnFunctionError(true)
                .idleWait(Duration.ofMillis(50));
    }

    String lastBatchLine() {
        return batchLines.isEmpty() ? "(none)" : batchLines.get(batchLines.size() - 1);
    }

    @Override
    public void close() {
        streams.close();
    }
}
