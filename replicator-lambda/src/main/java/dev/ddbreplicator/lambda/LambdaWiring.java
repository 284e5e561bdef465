package dev.ddbreplicator.lambda;

import dev.ddbreplicator.core.aws.AwsClients;
import dev.ddbreplicator.core.aws.AwsSettings;
import dev.ddbreplicator.core.aws.ReplicatorSettings;
import dev.ddbreplicator.core.aws.Replicators;
import dev.ddbreplicator.core.deadletter.S3DeadLetterStore;
import dev.ddbreplicator.core.pair.PairRegistry;
import dev.ddbreplicator.core.retry.Retrier;
import dev.ddbreplicator.core.retry.RetryPolicy;
import dev.ddbreplicator.core.status.StatusStore;
import dev.ddbreplicator.core.write.TombstoneTable;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClientBuilder;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Builds the Lambda replicator from its configuration: the one place where its parts meet.
 *
 * <p>It runs in the function's init phase, which SnapStart snapshots: SDK clients are built here
 * (the slow part of a cold start: class loading, endpoint rules), but nothing is sent. So no
 * connection, resolved credential or DNS answer is captured in the snapshot; each restored
 * environment opens its own on the first invocation. No random state is drawn here either.
 */
public final class LambdaWiring {

    private LambdaWiring() {
    }

    /** The replicator of a deployed function: configuration from the environment, real AWS. */
    public static BatchReplicator fromEnvironment() {
        return create(LambdaConfig.fromEnvironment(), AwsSettings.defaults(), Optional.empty(), System.out::println);
    }

    /**
     * The replicator for a configuration.
     *
     * @param aws how to reach AWS (local endpoints and interceptors in tests and the demo)
     * @param cloudWatchEndpoint where to send metrics instead of CloudWatch in the function's region
     * @param batchLog where each batch's JSON line goes
     */
    public static BatchReplicator create(LambdaConfig config, AwsSettings aws, Optional<URI> cloudWatchEndpoint, Consumer<String> batchLog) {
        Clock clock = Clock.systemUTC();
        AwsClients clients = new AwsClients(aws.withMaxConnections(Math.max(aws.maxConnections(), config.writerConcurrency() * 2)));
        DynamoDbClient control = clients.dynamoDb(config.controlRegion());
        PairRegistry registry = new PairRegistry(control, config.controlTable(), clock, config.pairCache(), new Retrier(RetryPolicy.CONTROL));
        S3DeadLetterStore deadLetters = new S3DeadLetterStore(clients.s3(config.region()), config.deadLetterBucket(),
                config.deadLetterPrefix(), new Retrier(RetryPolicy.CONTROL));
        CloudWatchAsyncClient cloudWatch = config.metricsNamespace().isPresent() && (!aws.isLocal() || cloudWatchEndpoint.isPresent())
                ? cloudWatch(config, clients, cloudWatchEndpoint) : null;
        InvocationMetrics metrics = cloudWatch == null ? InvocationMetrics.none()
                : InvocationMetrics.cloudWatch(config.metricsNamespace().get(), cloudWatch);
        // Status after every batch: an environment may be frozen or reclaimed right after it.
        ReplicatorSettings settings = new ReplicatorSettings(config.writerConcurrency(), config.tombstoneTable(),
                TombstoneTable.DEFAULT_RETENTION, Duration.ZERO);
        Replicators replicators = new Replicators(clients, settings, deadLetters, metrics.registry(), clock,
                Optional.of(new StatusStore(control, config.controlTable())));
        AutoCloseable resources = () -> {
            if (cloudWatch != null) {
                cloudWatch.close();
            }
            clients.close();
        };
        return new BatchReplicator(BatchReplicator.Pairs.of(registry), replicators::create, metrics, batchLog,
                clock, resources);
    }

    private static CloudWatchAsyncClient cloudWatch(LambdaConfig config, AwsClients clients, Optional<URI> endpoint) {
        CloudWatchAsyncClientBuilder builder = CloudWatchAsyncClient.builder()
                .region(Region.of(config.region()))
                .credentialsProvider(clients.credentials(config.region(), Optional.empty()))
                .httpClient(new BlockingAsyncHttpClient(ApacheHttpClient.builder()
                        .maxConnections(2)
                        .connectionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(Duration.ofSeconds(3))
                        .build()))
                // A lost batch of metrics is not worth holding up replication for: no retries, short timeout.
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()).apiCallTimeout(Duration.ofSeconds(4)));
        endpoint.ifPresent(builder::endpointOverride);
        return builder.build();
    }
}
