package dev.ddbreplicator.cli;

import dev.ddbreplicator.core.aws.AwsSettings;
import dev.ddbreplicator.core.status.StatusStore;
import dev.ddbreplicator.core.write.TombstoneTable;
import dev.ddbreplicator.lambda.BatchReplicator;
import dev.ddbreplicator.lambda.LambdaConfig;
import dev.ddbreplicator.lambda.LambdaEventMapper;
import dev.ddbreplicator.lambda.LambdaWiring;
import dev.ddbreplicator.lambda.ReplicatorHandler;
import dev.ddbreplicator.testkit.lambda.LambdaStreamPoller;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * The Lambda replicator as it runs in AWS: the real handler, wired from its configuration, invoked
 * with real stream batches by testkit's poller, which behaves like Lambda's event source mapping
 * (batch item failures, retries). Counts come from the pair's status, which the handler reports
 * after every batch.
 */
final class LambdaDemoReplicator implements DemoReplicator {

    private final BatchReplicator replicator;
    private final LambdaStreamPoller poller;
    private final StatusStore status;
    private final String pairId;

    LambdaDemoReplicator(AwsSettings aws, DynamoDbStreamsClient streams, String streamArn, String region, String controlTable, String bucket,
                         StatusStore status, String pairId, Clock clock) {
        LambdaConfig config = new LambdaConfig(region, controlTable, region, bucket, "", Optional.empty(), 32, TombstoneTable.DEFAULT_NAME,
                Duration.ofSeconds(1));
        this.replicator = LambdaWiring.create(config, aws, Optional.empty(), line -> { });
        this.poller = LambdaStreamPoller.builder(streams, streamArn, new ReplicatorHandler(new LambdaEventMapper(clock), replicator))
                .region(region).idleWait(Duration.ofMillis(100)).build();
        this.status = status;
        this.pairId = pairId;
        poller.start();
    }

    @Override
    public String describe() {
        return "lambda (the replicator-lambda handler, fed by a poller that behaves like the event source mapping)";
    }

    @Override
    public long applied() {
        return status.read(pairId).applied();
    }

    @Override
    public void close() {
        poller.close();
        replicator.close();
    }
}
