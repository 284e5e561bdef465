package dev.ddbreplicator.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * One DynamoDB Local server standing in for one AWS region: a real HTTP server on a loopback
 * port, streams included. It can be stopped and started again on the same port to simulate a
 * region outage; with a data directory its tables survive that.
 */
public final class LocalRegion implements AutoCloseable {

    private final String name;
    private final int port;
    private final Optional<Path> dataDir;
    private final boolean loopbackOnly;
    private DynamoDBProxyServer server;

    private LocalRegion(String name, int port, Optional<Path> dataDir) {
        this(name, port, dataDir, false);
    }

    private LocalRegion(String name, int port, Optional<Path> dataDir, boolean loopbackOnly) {
        this.name = name;
        this.port = port;
        this.dataDir = dataDir;
        this.loopbackOnly = loopbackOnly;
    }

    /**
     * Starts a region.
     *
     * @param name the AWS region it stands for, e.g. {@code us-east-1}
     * @param port the loopback port, or 0 for a free one
     * @param dataDir where to keep tables across restarts; empty keeps them in memory only
     */
    public static LocalRegion start(String name, int port, Optional<Path> dataDir) {
        LocalRegion region = new LocalRegion(name, port == 0 ? FreePorts.next() : port, dataDir);
        region.start();
        return region;
    }

    /**
     * Starts a region that accepts connections on the loopback interface only (DynamoDB Local
     * itself listens on every interface): for a stack other programs on this machine use.
     */
    public static LocalRegion startOnLoopback(String name, int port, Optional<Path> dataDir) {
        LocalRegion region = new LocalRegion(name, port == 0 ? FreePorts.next() : port, dataDir, true);
        region.start();
        return region;
    }

    /** Starts a region in memory on a free port. */
    public static LocalRegion inMemory(String name) {
        return start(name, 0, Optional.empty());
    }

    /** Starts a region that keeps its tables in a new temporary directory, so a restart keeps them. */
    public static LocalRegion persistent(String name) {
        try {
            return start(name, 0, Optional.of(Files.createTempDirectory("ddb-local-" + name + "-")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the server again after {@link #stop()}, on the same port. */
    public synchronized void start() {
        if (server != null) {
            return;
        }
        List<String> args = new ArrayList<>(List.of("-port", Integer.toString(port), "-sharedDb", "-disableTelemetry"));
        if (dataDir.isPresent()) {
            args.add("-dbPath");
            args.add(dataDir.get().toString());
        } else {
            args.add("-inMemory");
        }
        try {
            DynamoDBProxyServer started = ServerRunner.createServerFromCommandLineArgs(args.toArray(String[]::new));
            if (loopbackOnly) {
                LoopbackBinding.apply(started);
            }
            started.start();
            server = started;
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local for " + name + " did not start on port " + port, e);
        }
    }

    /** Stops the server: clients get connection errors, as in a region outage. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local for " + name + " did not stop", e);
        } finally {
            server = null;
        }
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** A new client for this region; the caller closes it. */
    public DynamoDbClient client(ExecutionInterceptor... interceptors) {
        return DynamoDbClient.builder()
                .region(Region.of(name))
                .endpointOverride(endpoint())
                .credentialsProvider(LocalCredentials.provider())
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(64))
                .overrideConfiguration(c -> {
                    for (ExecutionInterceptor interceptor : interceptors) {
                        c.addExecutionInterceptor(interceptor);
                    }
                })
                .build();
    }

    /** A new streams client for this region; the caller closes it. */
    public DynamoDbStreamsClient streamsClient() {
        return DynamoDbStreamsClient.builder()
                .region(Region.of(name))
                .endpointOverride(endpoint())
                .credentialsProvider(LocalCredentials.provider())
                .httpClientBuilder(ApacheHttpClient.builder())
                .build();
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return name + "@" + endpoint();
    }
}
