package dev.ddbreplicator.core.aws;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * Builds every AWS SDK client the tool uses, one per service, region and role, and closes them.
 * SDK retries are off: {@link dev.ddbreplicator.core.retry.Retrier} is the one place that retries.
 */
public final class AwsClients implements AutoCloseable {

    private static final String SESSION_NAME = "ddb-replicator";

    private final AwsSettings settings;
    private final Map<String, SdkClient> clients = new ConcurrentHashMap<>();
    private final Map<String, AwsCredentialsProvider> assumed = new ConcurrentHashMap<>();
    private AwsCredentialsProvider defaultChain;

    public AwsClients(AwsSettings settings) {
        this.settings = settings;
    }

    public AwsSettings settings() {
        return settings;
    }

    /** DynamoDB in a region with the base credentials. */
    public DynamoDbClient dynamoDb(String region) {
        return dynamoDb(region, Optional.empty());
    }

    /** DynamoDB in a region, as the given role when one is named (another account). */
    public DynamoDbClient dynamoDb(String region, Optional<String> roleArn) {
        return (DynamoDbClient) clients.computeIfAbsent("dynamodb|" + region + "|" + roleArn.orElse(""), k -> {
            var builder = DynamoDbClient.builder()
                    .region(Region.of(region))
                    .credentialsProvider(credentials(region, roleArn))
                    .httpClientBuilder(http())
                    .overrideConfiguration(overrides(true));
            settings.endpoint(region).ifPresent(builder::endpointOverride);
            return builder.build();
        });
    }

    public DynamoDbStreamsClient streams(String region) {
        return (DynamoDbStreamsClient) clients.computeIfAbsent("streams|" + region, k -> {
            var builder = DynamoDbStreamsClient.builder()
                    .region(Region.of(region))
                    .credentialsProvider(credentials(region, Optional.empty()))
                    .httpClientBuilder(http())
                    .overrideConfiguration(overrides(true));
            settings.endpoint(region).ifPresent(builder::endpointOverride);
            return builder.build();
        });
    }

    public S3Client s3(String region) {
        return (S3Client) clients.computeIfAbsent("s3|" + region, k -> {
            var builder = S3Client.builder()
                    .region(Region.of(region))
                    .credentialsProvider(credentials(region, Optional.empty()))
                    .httpClientBuilder(http())
                    .overrideConfiguration(overrides(false));
            settings.s3Endpoint().ifPresent(endpoint -> builder.endpointOverride(endpoint).forcePathStyle(true));
            return builder.build();
        });
    }

    /** The credentials for a region: the base ones, or a role assumed with them through STS in that region. */
    public AwsCredentialsProvider credentials(String region, Optional<String> roleArn) {
        AwsCredentialsProvider base = settings.credentials().orElseGet(this::defaultChain);
        if (roleArn.isEmpty()) {
            return base;
        }
        return assumed.computeIfAbsent(region + "|" + roleArn.get(), k -> {
            StsClient sts = (StsClient) clients.computeIfAbsent("sts|" + region, s -> StsClient.builder()
                    .region(Region.of(region))
                    .credentialsProvider(base)
                    .httpClientBuilder(http())
                    .build());
            return StsAssumeRoleCredentialsProvider.builder()
                    .stsClient(sts)
                    .refreshRequest(r -> r.roleArn(roleArn.get()).roleSessionName(SESSION_NAME))
                    .build();
        });
    }

    private synchronized AwsCredentialsProvider defaultChain() {
        if (defaultChain == null) {
            defaultChain = DefaultCredentialsProvider.builder().build();
        }
        return defaultChain;
    }

    private ApacheHttpClient.Builder http() {
        return ApacheHttpClient.builder()
                .maxConnections(settings.maxConnections())
                .connectionTimeout(java.time.Duration.ofSeconds(2))
                .socketTimeout(settings.attemptTimeout());
    }

    private ClientOverrideConfiguration overrides(boolean withInterceptors) {
        ClientOverrideConfiguration.Builder config = ClientOverrideConfiguration.builder()
                .retryStrategy(AwsRetryStrategy.doNotRetry())
                .apiCallAttemptTimeout(settings.attemptTimeout());
        if (withInterceptors) {
            settings.interceptors().forEach(config::addExecutionInterceptor);
        }
        return config.build();
    }

    @Override
    public void close() {
        assumed.values().forEach(p -> {
            if (p instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception ignored) {
                    // closing on the way out; nothing to do about it
                }
            }
        });
        clients.values().forEach(SdkClient::close);
        clients.clear();
    }
}
