package dev.ddbreplicator.cli;

import dev.ddbreplicator.core.aws.AwsClients;
import dev.ddbreplicator.core.aws.AwsSettings;
import dev.ddbreplicator.core.pair.Names;
import dev.ddbreplicator.core.pair.PairRegistry;
import dev.ddbreplicator.core.pair.TablePair;
import dev.ddbreplicator.core.retry.Retrier;
import dev.ddbreplicator.core.retry.RetryPolicy;
import dev.ddbreplicator.core.status.StatusStore;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * What a verb works with, built once from the global options: AWS clients (local endpoints or
 * real AWS), the control region, the pair registry and status store, the clock and the output.
 */
final class Environment implements AutoCloseable {

    private final GlobalOptions options;
    private final Map<String, String> variables;
    private final Output output;
    private final Clock clock;
    private AwsClients clients;

    Environment(GlobalOptions options, Map<String, String> variables, Output output, Clock clock) {
        this.options = options;
        this.variables = variables;
        this.output = output;
        this.clock = clock;
    }

    Output output() {
        return output;
    }

    Clock clock() {
        return clock;
    }

    Map<String, String> variables() {
        return variables;
    }

    /** The control region: --region, else AWS_REGION / AWS_DEFAULT_REGION, else us-east-1 in local mode. */
    String region() {
        String region = options.region;
        if (region == null) {
            region = variables.getOrDefault("AWS_REGION", variables.get("AWS_DEFAULT_REGION"));
        }
        if (region == null && (options.local || !options.endpoints.isEmpty())) {
            region = "us-east-1";
        }
        if (region == null || region.isBlank()) {
            throw CliException.badRequest("no region: pass --region (the region of the control table), or set AWS_REGION");
        }
        try {
            return Names.region("--region", region);
        } catch (IllegalArgumentException e) {
            throw CliException.badRequest(e.getMessage());
        }
    }

    synchronized AwsClients clients() {
        if (clients == null) {
            clients = new AwsClients(settings());
        }
        return clients;
    }

    /** The settings the global options describe; exposed so verbs that start runtimes pass the same endpoints on. */
    AwsSettings settings() {
        Map<String, URI> endpoints = new LinkedHashMap<>();
        Optional<URI> s3 = Optional.empty();
        if (options.local) {
            GlobalOptions.LOCAL_ENDPOINTS.forEach((region, url) -> endpoints.put(region, URI.create(url)));
            s3 = Optional.of(URI.create(GlobalOptions.LOCAL_S3));
        }
        for (var entry : options.endpoints.entrySet()) {
            try {
                Names.region("--endpoint region", entry.getKey());
            } catch (IllegalArgumentException e) {
                throw CliException.badRequest(e.getMessage());
            }
            endpoints.put(entry.getKey(), url("--endpoint " + entry.getKey(), entry.getValue()));
        }
        if (options.s3Endpoint != null) {
            s3 = Optional.of(url("--s3-endpoint", options.s3Endpoint));
        }
        boolean allLoopback = endpoints.values().stream().allMatch(Environment::isLoopback) && s3.map(Environment::isLoopback).orElse(true);
        if ((options.local || !endpoints.isEmpty() || s3.isPresent()) && allLoopback) {
            // Local stand-ins accept any credentials; do not ask the machine's credential chain for them.
            return AwsSettings.local(endpoints, s3);
        }
        return new AwsSettings(endpoints, s3, Optional.empty(), 64, Duration.ofSeconds(10), List.of());
    }

    DynamoDbClient dynamoDb(String region) {
        return clients().dynamoDb(region);
    }

    DynamoDbClient controlClient() {
        return dynamoDb(region());
    }

    PairRegistry registry() {
        // No caching: every command reads the registry as it is now.
        return new PairRegistry(controlClient(), PairRegistry.DEFAULT_TABLE, clock, Duration.ZERO, new Retrier(RetryPolicy.CONTROL));
    }

    StatusStore statusStore() {
        return new StatusStore(controlClient(), PairRegistry.DEFAULT_TABLE);
    }

    /** The registered pair with this id; notFound otherwise. */
    TablePair pair(String id) {
        return registry().get(id).orElseThrow(() -> CliException.notFound(
                "no pair with id '" + id + "' in the control table in " + region() + "; see 'ddb-replicator pairs list'"));
    }

    private static URI url(String what, String text) {
        try {
            URI uri = URI.create(text);
            if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https")) || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw CliException.badRequest(what + " must be an http(s) URL such as http://127.0.0.1:8000, got '" + text + "'");
        }
    }

    private static boolean isLoopback(URI uri) {
        String host = uri.getHost();
        if ("localhost".equalsIgnoreCase(host)) {
            return true;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    @Override
    public synchronized void close() {
        if (clients != null) {
            clients.close();
        }
    }
}
