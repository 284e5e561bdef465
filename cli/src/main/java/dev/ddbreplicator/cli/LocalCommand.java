package dev.ddbreplicator.cli;

import dev.ddbreplicator.testkit.LocalRegion;
import dev.ddbreplicator.testkit.LocalS3;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code local}: the embedded stack for trying the tool and for the AWS CLI: two DynamoDB regions and S3. */
@Command(name = "local", mixinStandardHelpOptions = true,
        description = {"Start the embedded stack: DynamoDB Local as us-east-1 and as eu-west-1, and an S3 server; print the endpoints "
                + "and run until stopped (Ctrl-C).",
                "It listens on 127.0.0.1 only. Any credentials see the same data (DynamoDB Local with -sharedDb, S3 without "
                        + "authentication), so the AWS CLI with --endpoint-url works against it. Other verbs reach it with --local."})
final class LocalCommand extends Verb {

    static final String EAST = "us-east-1";
    static final String WEST = "eu-west-1";

    @Option(names = "--ddb-ports", paramLabel = "P1,P2", split = ",", defaultValue = "8000,8001",
            description = "Ports of us-east-1 and eu-west-1 (default: ${DEFAULT-VALUE}).")
    List<Integer> ddbPorts;
    @Option(names = "--s3-port", paramLabel = "P", defaultValue = "9000", description = "Port of the S3 server (default: ${DEFAULT-VALUE}).")
    int s3Port;
    @Option(names = "--data-dir", paramLabel = "DIR", description = "Keep tables and objects here across restarts (default: in memory).")
    Path dataDir;

    /** Counted down to stop the stack; tests count it down, a person presses Ctrl-C. */
    final CountDownLatch stop = new CountDownLatch(1);
    /** Counted down once the stack is up. */
    final CountDownLatch started = new CountDownLatch(1);

    @Override
    protected Result execute(Environment env) throws Exception {
        if (ddbPorts.size() != 2) {
            throw CliException.badRequest("--ddb-ports takes two ports, for us-east-1 and eu-west-1, e.g. 8000,8001");
        }
        List<Integer> ports = List.of(ddbPorts.get(0), ddbPorts.get(1), s3Port);
        List<String> names = List.of(EAST + " DynamoDB (--ddb-ports)", WEST + " DynamoDB (--ddb-ports)", "S3 (--s3-port)");
        for (int i = 0; i < ports.size(); i++) {
            int port = ports.get(i);
            if (port < 1 || port > 65535) {
                throw CliException.badRequest("port " + port + " for " + names.get(i) + " is not 1-65535");
            }
            if (ports.indexOf(port) != i) {
                throw CliException.badRequest("port " + port + " is given twice; the three servers need three ports");
            }
            if (!isFree(port)) {
                throw CliException.failed("port " + port + " for " + names.get(i) + " is in use on 127.0.0.1; stop what uses it or choose another");
            }
        }
        Optional<Path> east = directory("us-east-1");
        Optional<Path> west = directory("eu-west-1");
        Optional<Path> s3Dir = directory("s3");
        List<AutoCloseable> running = new ArrayList<>();
        Thread hook = new Thread(stop::countDown, "local-stack-shutdown");
        try {
            LocalRegion eastRegion = QuietStart.start(() -> LocalRegion.startOnLoopback(EAST, ports.get(0), east));
            running.add(eastRegion);
            LocalRegion westRegion = QuietStart.start(() -> LocalRegion.startOnLoopback(WEST, ports.get(1), west));
            running.add(westRegion);
            LocalS3 s3 = LocalS3.start(s3Port, s3Dir);
            running.add(s3);
            Runtime.getRuntime().addShutdownHook(hook);
            env.output().print(spec.qualifiedName(), announce(eastRegion, westRegion, s3));
            started.countDown();
            stop.await();
        } finally {
            for (int i = running.size() - 1; i >= 0; i--) {
                running.get(i).close();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException | IllegalArgumentException alreadyShuttingDownOrNeverAdded) {
                // Nothing to remove.
            }
        }
        if (!env.output().json()) {
            env.output().out().println("local stack stopped");
        }
        return Result.printed(Status.SUCCESS);
    }

    private Result announce(LocalRegion east, LocalRegion west, LocalS3 s3) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("dynamodb", Map.of(EAST, east.endpoint().toString(), WEST, west.endpoint().toString()));
        data.put("s3", s3.endpoint().toString());
        data.put("dataDir", dataDir == null ? null : dataDir.toAbsolutePath().toString());
        boolean defaults = east.port() == 8000 && west.port() == 8001 && s3.port() == 9000;
        String flags = defaults ? "--local" : "--endpoint " + EAST + "=" + east.endpoint() + " --endpoint " + WEST + "=" + west.endpoint()
                + " --s3-endpoint " + s3.endpoint();
        data.put("flags", flags);
        String text = String.join("\n",
                "local stack is up (127.0.0.1 only; any credentials see the same data)",
                "  " + EAST + "  DynamoDB  " + east.endpoint(),
                "  " + WEST + "  DynamoDB  " + west.endpoint(),
                "  S3                   " + s3.endpoint(),
                "  data: " + (dataDir == null ? "in memory (lost on stop; --data-dir keeps it)" : dataDir.toAbsolutePath()),
                "try:",
                "  ddb-replicator " + flags + " pairs list",
                "  aws dynamodb list-tables --endpoint-url " + east.endpoint() + " --region " + EAST,
                "  aws s3 ls --endpoint-url " + s3.endpoint(),
                "stop with Ctrl-C", "");
        return Result.success("local stack is up: " + EAST + " " + east.endpoint() + ", " + WEST + " " + west.endpoint() + ", S3 "
                + s3.endpoint(), data, text);
    }

    private Optional<Path> directory(String name) throws IOException {
        if (dataDir == null) {
            return Optional.empty();
        }
        Path dir = dataDir.resolve(name);
        Files.createDirectories(dir);
        return Optional.of(dir);
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return socket.isBound();
        } catch (IOException e) {
            return false;
        }
    }

    /** Waits until the stack is up; for tests. */
    boolean awaitStarted(long seconds) throws InterruptedException {
        return started.await(seconds, TimeUnit.SECONDS);
    }
}
