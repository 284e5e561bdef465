package dev.ddbreplicator.core.aws;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * How to reach AWS: optional endpoint overrides per region and for S3 (local mode), optional
 * fixed credentials (local mode; otherwise the default provider chain), and HTTP limits.
 *
 * @param endpoints region name to endpoint, for DynamoDB and its streams
 * @param s3Endpoint endpoint of an S3-compatible server; path-style addressing is used with it
 * @param credentials fixed credentials; empty means the SDK's default chain
 * @param maxConnections HTTP connections per client, at least the writer concurrency
 * @param attemptTimeout the longest one HTTP attempt may take
 * @param interceptors SDK interceptors added to every DynamoDB and streams client (local fixes, fault injection)
 */
public record AwsSettings(Map<String, URI> endpoints, Optional<URI> s3Endpoint, Optional<AwsCredentialsProvider> credentials,
                          int maxConnections, Duration attemptTimeout, List<ExecutionInterceptor> interceptors) {

    public AwsSettings {
        endpoints = Map.copyOf(endpoints);
        interceptors = List.copyOf(interceptors);
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be positive, got " + maxConnections);
        }
    }

    /** Real AWS with the default credential chain. */
    public static AwsSettings defaults() {
        return new AwsSettings(Map.of(), Optional.empty(), Optional.empty(), 64, Duration.ofSeconds(10), List.of());
    }

    /** Local servers: every region and S3 at the given endpoints, with fixed dummy credentials. */
    public static AwsSettings local(Map<String, URI> endpoints, Optional<URI> s3Endpoint) {
        return new AwsSettings(endpoints, s3Endpoint,
                Optional.of(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))), 64, Duration.ofSeconds(10),
                List.of());
    }

    public Optional<URI> endpoint(String region) {
        return Optional.ofNullable(endpoints.get(region));
    }

    /** Whether any endpoint is overridden: the tool then talks to local stand-ins, not AWS. */
    public boolean isLocal() {
        return !endpoints.isEmpty() || s3Endpoint.isPresent();
    }

    public AwsSettings withMaxConnections(int connections) {
        return new AwsSettings(endpoints, s3Endpoint, credentials, connections, attemptTimeout, interceptors);
    }

    public AwsSettings withInterceptors(ExecutionInterceptor... added) {
        List<ExecutionInterceptor> all = new java.util.ArrayList<>(interceptors);
        all.addAll(List.of(added));
        return new AwsSettings(endpoints, s3Endpoint, credentials, maxConnections, attemptTimeout, all);
    }
}
