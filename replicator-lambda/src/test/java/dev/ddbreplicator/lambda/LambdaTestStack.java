package dev.ddbreplicator.lambda;

import dev.ddbreplicator.core.aws.AwsSettings;
import dev.ddbreplicator.core.pair.PairRegistry;
import dev.ddbreplicator.core.pair.TablePair;
import dev.ddbreplicator.core.pair.TtlDeletePolicy;
import dev.ddbreplicator.core.retry.Retrier;
import dev.ddbreplicator.core.retry.RetryPolicy;
import dev.ddbreplicator.core.status.PairStatus;
import dev.ddbreplicator.core.status.StatusStore;
import dev.ddbreplicator.core.write.TombstoneTable;
import dev.ddbreplicator.core.write.WriterSettings;
import dev.ddbreplicator.testkit.LocalRegion;
import dev.ddbreplicator.testkit.LocalS3;
import dev.ddbreplicator.testkit.StreamReader;
import dev.ddbreplicator.testkit.TableComparer;
import dev.ddbreplicator.testkit.TableDiff;
import dev.ddbreplicator.testkit.lambda.LambdaStreamPoller;
import dev.ddbreplicator.testkit.lambda.PollerStats;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The Lambda replicator on the embedded stack, wired as a deployment would be: a source region
 * (with the control table), a replica region, the S3 server with the dead-letter bucket, and a
 * handler built by {@link LambdaWiring} from a {@link LambdaConfig}.
 */
final class LambdaTestStack implements AutoCloseable {

    static final String SOURCE_REGION = "us-east-1";
    static final String REPLICA_REGION = "eu-west-1";
    static final String BUCKET = "ddb-replicator-dlq";
    static final String CONTROL_TABLE = PairRegistry.DEFAULT_TABLE;

    final LocalRegion source;
    final LocalRegion replica;
    final LocalS3 s3;
    final DynamoDbClient sourceClient;
    final DynamoDbClient replicaClient;
    final DynamoDbStreamsClient streams;
    final PairRegistry registry;
    /** The JSON lines the handlers built here logged, one per batch. */
    final List<String> batchLines = new CopyOnWriteArrayList<>();

    LambdaTestStack(LocalRegion source, LocalRegion replica, LocalS3 s3) {
        this.source = source;
        this.replica = replica;
        this.s3 = s3;
        this.sourceClient = source.client();
        this.replicaClient = replica.client();
        this.streams = source.streamsClient();
        this.registry = new PairRegistry(sourceClient, CONTROL_TABLE, Clock.systemUTC(), Duration.ZERO, new Retrier(RetryPolicy.CONTROL));
        try (S3Client client = s3.client()) {
            if (client.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(BUCKET))) {
                client.createBucket(b -> b.bucket(BUCKET));
            }
        }
    }

    /** Registers a pair from a source table here to a replica table in the replica region. */
    TablePair register(String id, String sourceTable, String replicaTable, TtlDeletePolicy ttlDeletes) {
        TablePair pair = TablePair.of(id, sourceTable, SOURCE_REGION, replicaTable, REPLICA_REGION, Instant.now())
                .withSettings(Optional.empty(), WriterSettings.DEFAULT_VERSION_ATTRIBUTE, ttlDeletes);
        registry.add(pair);
        return pair;
    }

    /** The function's configuration as the SAM template would set it. */
    static LambdaConfig config(Optional<String> metricsNamespace) {
        return new LambdaConfig(SOURCE_REGION, CONTROL_TABLE, SOURCE_REGION, BUCKET, "", metricsNamespace, 16, TombstoneTable.DEFAULT_NAME,
                Duration.ofSeconds(60));
    }

    /** A handler with metrics off. */
    ReplicatorHandler handler(String accessKey, ExecutionInterceptor... interceptors) {
        return handler(accessKey, config(Optional.empty()), Optional.empty(), interceptors);
    }

    /**
     * A handler as the runtime builds it, signing with its own access key (so its calls can be told
     * apart; DynamoDB Local takes only letters and digits in one).
     *
     * @param cloudWatch where its metrics go, if anywhere
     * @param interceptors added to its DynamoDB clients
     */
    ReplicatorHandler handler(String accessKey, LambdaConfig config, Optional<URI> cloudWatch, ExecutionInterceptor... interceptors) {
        AwsSettings aws = new AwsSettings(Map.of(source.name(), source.endpoint(), replica.name(), replica.endpoint()),
                Optional.of(s3.endpoint()), Optional.of(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, "secret"))),
                64, Duration.ofSeconds(10), List.of(interceptors));
        return new ReplicatorHandler(new LambdaEventMapper(Clock.systemUTC()), LambdaWiring.create(config, aws, cloudWatch, batchLines::add));
    }

    /** A poller of a source table's stream, set as the SAM template sets the event source. */
    LambdaStreamPoller.Builder poller(String sourceTable, ReplicatorHandler handler) {
        return LambdaStreamPoller.builder(streams, StreamReader.streamArn(sourceClient, sourceTable), handler)
                .region(SOURCE_REGION)
                .bisectBatchOnFunctionError(true)
                .idleWait(Duration.ofMillis(20));
    }

    /** Drains the poller; if it cannot, the failure says what the last batch logged. */
    PollerStats drain(LambdaStreamPoller poller, Duration timeout) {
        try {
            return poller.drain(timeout);
        } catch (IllegalStateException notDrained) {
            String last = batchLines.isEmpty() ? "none" : batchLines.get(batchLines.size() - 1);
            throw new AssertionError(notDrained.getMessage() + "; the last batch logged: " + last, notDrained);
        }
    }

    TableDiff compare(String sourceTable, String replicaTable) {
        return new TableComparer(Set.of(WriterSettings.DEFAULT_VERSION_ATTRIBUTE)).compare(sourceClient, sourceTable, replicaClient, replicaTable);
    }

    PairStatus status(String pairId) {
        return new StatusStore(sourceClient, CONTROL_TABLE).read(pairId);
    }

    @Override
    public void close() {
        sourceClient.close();
        replicaClient.close();
        streams.close();
    }
}
