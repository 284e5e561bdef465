package dev.ddbreplicator.kcl.aws;

import dev.ddbreplicator.core.aws.AwsClients;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * The clients KCL itself uses, next to the core's: DynamoDB Streams for reading (wrapped by the
 * streams adapter), DynamoDB for its lease tables and CloudWatch for metrics. Unlike the core's
 * clients, which leave retries to the core's retrier, these keep SDK retries: KCL's polling, lease
 * and checkpoint code is written expecting them. They carry the same endpoint overrides and
 * interceptors as the core's clients, so local mode reaches the same stand-ins.
 */
public final class KclClients implements AutoCloseable {

    /** Where CloudWatch calls go in local mode: nowhere, so an accidental call fails fast and quietly. */
    private static final URI UNROUTABLE = URI.create("http://127.0.0.1:9");

    private final DynamoDbStreamsClient streams;
    private final DynamoDbAsyncClient leases;
    private final CloudWatchAsyncClient cloudWatch;

    /**
     * @param region where the lease tables live (the source stream's region)
     */
    public KclClients(AwsClients clients, String region, boolean local) {
        var credentials = clients.credentials(region, Optional.empty());
        // The adapter's advice for its client: throttling backs off from 100 ms up to 10 s.
        BackoffStrategy backoff = BackoffStrategy.exponentialDelay(Duration.ofMillis(100), Duration.ofSeconds(10));
        ClientOverrideConfiguration.Builder streamsOverrides = ClientOverrideConfiguration.builder()
                .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(10)
                        .backoffStrategy(backoff)
                        .throttlingBackoffStrategy(backoff)
                        .build());
        clients.settings().interceptors().forEach(streamsOverrides::addExecutionInterceptor);
        var streamsBuilder = DynamoDbStreamsClient.builder()
                .region(Region.of(region))
                .credentialsProvider(credentials)
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(32).connectionTimeout(Duration.ofSeconds(2)))
                .overrideConfiguration(streamsOverrides.build());
        clients.settings().endpoint(region).ifPresent(streamsBuilder::endpointOverride);
        this.streams = streamsBuilder.build();
        var dynamo = DynamoDbAsyncClient.builder()
                .region(Region.of(region))
                .credentialsProvider(credentials)
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().maxConcurrency(64).connectionTimeout(Duration.ofSeconds(2)));
        clients.settings().endpoint(region).ifPresent(dynamo::endpointOverride);
        this.leases = dynamo.build();
        var metrics = CloudWatchAsyncClient.builder()
                .region(Region.of(region))
                .credentialsProvider(credentials)
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().maxConcurrency(16));
        if (local) {
            metrics.endpointOverride(UNROUTABLE);
        }
        this.cloudWatch = metrics.build();
    }

    public DynamoDbStreamsClient streams() {
        return streams;
    }

    public DynamoDbAsyncClient leases() {
        return leases;
    }

    public CloudWatchAsyncClient cloudWatch() {
        return cloudWatch;
    }

    @Override
    public void close() {
        streams.close();
        leases.close();
        cloudWatch.close();
    }
}
