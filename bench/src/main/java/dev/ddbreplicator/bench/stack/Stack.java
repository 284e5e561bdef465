package dev.ddbreplicator.bench.stack;

import dev.ddbreplicator.bench.ChildJvm;
import dev.ddbreplicator.core.aws.AwsClients;
import dev.ddbreplicator.core.aws.AwsSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/** The running {@link StackServer} child process, and clients for it. */
public final class Stack implements AutoCloseable {

    private final ChildJvm process;
    private final Path s3Dir;
    private final URI source;
    private final URI replica;
    private final URI s3;
    private final AwsClients clients;

    private Stack(ChildJvm process, Path s3Dir, URI source, URI replica, URI s3) {
        this.process = process;
        this.s3Dir = s3Dir;
        this.source = source;
        this.replica = replica;
        this.s3 = s3;
        this.clients = new AwsClients(settings().withMaxConnections(256));
    }

    /** Starts the stack server with the given heap; its output goes to {@code logDir/stack.log}. */
    public static Stack start(Path logDir, String maxHeap) throws InterruptedException {
        Path s3Dir;
        try {
            s3Dir = Files.createTempDirectory("bench-s3-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> flags = new java.util.ArrayList<>(List.of("-Xms512m", "-Xmx" + maxHeap, "-XX:+UseParallelGC"));
        // For profiling the stand-in server, e.g. -Dbench.stack.flags=-XX:StartFlightRecording=filename=stack.jfr
        String extra = System.getProperty("bench.stack.flags", "").trim();
        if (!extra.isEmpty()) {
            flags.addAll(List.of(extra.split("\\s+")));
        }
        ChildJvm child = ChildJvm.start(flags,
                List.of("-cp", ChildJvm.classPath(), StackServer.class.getName(), s3Dir.toString()), logDir.resolve("stack.log"));
        String[] ready = child.awaitLine("READY ", Duration.ofMinutes(2)).split(" ");
        return new Stack(child, s3Dir, URI.create(ready[1]), URI.create(ready[2]), URI.create(ready[3]));
    }

    /** How the tool reaches this stack: both regions and S3, with the local credentials. */
    public AwsSettings settings() {
        return AwsSettings.local(Map.of(StackServer.SOURCE_REGION, source, StackServer.REPLICA_REGION, replica), Optional.of(s3));
    }

    public AwsClients clients() {
        return clients;
    }

    public DynamoDbClient sourceClient() {
        return clients.dynamoDb(StackServer.SOURCE_REGION);
    }

    public DynamoDbClient replicaClient() {
        return clients.dynamoDb(StackServer.REPLICA_REGION);
    }

    public S3Client s3Client() {
        return clients.s3(StackServer.SOURCE_REGION);
    }

    public URI sourceEndpoint() {
        return source;
    }

    public URI replicaEndpoint() {
        return replica;
    }

    public URI s3Endpoint() {
        return s3;
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        clients.close();
        process.closeInput();
        try {
            if (!process.waitFor(Duration.ofSeconds(30))) {
                process.stop(Duration.ofSeconds(10));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.stop(Duration.ofSeconds(1));
        }
        try (Stream<Path> files = Files.walk(s3Dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory; the OS cleans it up eventually
        }
    }
}
