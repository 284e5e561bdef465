package dev.ddbreplicator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbreplicator.testkit.FreePorts;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/** Issue 8: {@code local} starts two regions and S3 on loopback, shared by any credentials, kept with --data-dir. */
class LocalCommandTest {

    @TempDir
    Path dataDir;

    @Test
    void theStackServesAnyCredentialsTheSameDataAndKeepsItAcrossARestartWithADataDir() throws Exception {
        int east = FreePorts.next();
        int west = FreePorts.next();
        int s3 = FreePorts.next();
        String[] args = {"--json", "local", "--ddb-ports", east + "," + west, "--s3-port", Integer.toString(s3), "--data-dir", dataDir.toString()};

        try (Running stack = Running.start(args)) {
            assertThat(stack.out()).contains("\"status\":\"success\"").contains("http://127.0.0.1:" + east);
            try (DynamoDbClient alice = dynamo(east, "alice", "us-east-1");
                 DynamoDbClient bob = dynamo(east, "bob", "ap-south-1");
                 S3Client carol = s3(s3, "carol")) {
                alice.createTable(b -> b.tableName("kept").keySchema(k -> k.attributeName("pk").keyType("HASH"))
                        .attributeDefinitions(a -> a.attributeName("pk").attributeType("S")).billingMode("PAY_PER_REQUEST"));
                assertThat(bob.listTables().tableNames()).contains("kept");
                carol.createBucket(b -> b.bucket("kept-bucket"));
            }
            try (DynamoDbClient other = dynamo(west, "dave", "eu-west-1")) {
                assertThat(other.listTables().tableNames()).doesNotContain("kept");
            }
        }

        try (Running again = Running.start(args);
             DynamoDbClient client = dynamo(east, "erin", "us-east-1");
             S3Client s3Client = s3(s3, "frank")) {
            assertThat(client.listTables().tableNames()).contains("kept");
            assertThat(s3Client.listBuckets().buckets()).extracting(b -> b.name()).contains("kept-bucket");
        }
    }

    @Test
    void aPortInUseIsAFailureThatNamesItAndNothingStarts() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int east = FreePorts.next();
            Cli.Run run = Cli.raw("local", "--ddb-ports", east + "," + taken.getLocalPort(), "--s3-port", Integer.toString(FreePorts.next()));
            assertThat(run.code()).isEqualTo(1);
            assertThat(run.err()).contains("port " + taken.getLocalPort()).contains("in use");
            assertThat(Cli.raw("local", "--ddb-ports", "8000").code()).isEqualTo(2);
        }
    }

    private static DynamoDbClient dynamo(int port, String accessKey, String region) {
        return DynamoDbClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + port)).region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, "secret-" + accessKey))).build();
    }

    private static S3Client s3(int port, String accessKey) {
        return S3Client.builder().endpointOverride(URI.create("http://127.0.0.1:" + port)).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, "secret-" + accessKey))).build();
    }

    /** {@code local} running in a thread of this test, stopped on close. */
    private record Running(LocalCommand command, CompletableFuture<Integer> exit, ByteArrayOutputStream output) implements AutoCloseable {

        static Running start(String[] args) throws Exception {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            PrintStream stream = new PrintStream(out, true, StandardCharsets.UTF_8);
            CommandLine line = Main.commandLine(stream, stream, Map.of());
            LocalCommand command = (LocalCommand) line.getSubcommands().get("local").getCommand();
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> line.execute(args));
            for (int i = 0; i < 600 && !command.awaitStarted(0) && !exit.isDone(); i++) {
                Thread.sleep(50);
            }
            assertThat(command.awaitStarted(0)).as(out.toString(StandardCharsets.UTF_8)).isTrue();
            return new Running(command, exit, out);
        }

        String out() {
            return output.toString(StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws Exception {
            command.stop.countDown();
            assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
        }
    }
}
