package dev.ddbreplicator.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbreplicator.cli.CommandRunner;
import dev.ddbreplicator.core.pair.TablePair;
import dev.ddbreplicator.testkit.FaultInjector;
import dev.ddbreplicator.testkit.LocalRegionsExtension;
import dev.ddbreplicator.testkit.LocalS3Extension;
import dev.ddbreplicator.testkit.TableShape;
import dev.ddbreplicator.testkit.Workload;
import dev.ddbreplicator.testkit.lambda.LambdaStreamPoller;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * Nothing let in, nothing let out: no credential in any log line or message; backups encrypted as
 * asked, as the S3 server receives them; and {@code --expected-bucket-owner} sent with every S3 call,
 * so that a restore refuses a bucket some other account owns.
 */
class SecurityTest {

    @RegisterExtension
    static final LocalRegionsExtension AWS = LocalRegionsExtension.of(Stack.SOURCE_REGION, Stack.REPLICA_REGION);

    @RegisterExtension
    static final LocalS3Extension S3 = LocalS3Extension.inMemory();

    private static final String OWNER = "444455556666";
    private static final String OTHER = "111122223333";

    private static Stack stack;
    private static TablePair pair;

    @BeforeAll
    static void stack() {
        stack = new Stack(AWS.source(), AWS.replica(), S3.server());
        pair = stack.pair("orders-eu", "orders", "orders-replica", TableShape.HASH_AND_RANGE);
        Workload.mixed(TableShape.HASH_AND_RANGE, 80, 2).run(stack.sourceClient(), "orders", 200, 2);
        // A pair whose replica lags behind: verify answers it with exit status 1.
        stack.pair("drift", "drift", "drift-replica", TableShape.HASH_AND_RANGE);
        Workload.mixed(TableShape.HASH_AND_RANGE, 20, 3).run(stack.sourceClient(), "drift", 30, 1);
        stack.s3Client().createBucket(b -> b.bucket("backups"));
    }

    @AfterAll
    static void close() {
        stack.close();
    }

    @AfterEach
    void quiet() {
        WireTap.reset();
    }

    /** Every place a secret must never be: each text, searched for each fake secret. */
    static List<String> leaks(List<String> texts) {
        List<String> found = new ArrayList<>();
        for (String text : texts) {
            for (String secret : FakeCredentials.secrets()) {
                int at = text.indexOf(secret);
                if (at >= 0) {
                    found.add(secret + " in: ..." + text.substring(Math.max(0, at - 100), Math.min(text.length(), at + 60)) + "...");
                }
            }
        }
        return found;
    }

    @Test
    void noCredentialAppearsInAnyMessageOrLogLineOfTheCommandOrTheLambdaReplicator() throws Exception {
        assertThat(leaks(List.of("x " + FakeCredentials.SECRET_KEY + " y"))).as("the search finds a planted secret").hasSize(2);
        Optional<InetAddress> address = nonLoopbackAddress();
        // DynamoDB Local listens on every interface: through a non-loopback address the command takes the SDK's
        // default credential chain (it uses fixed local credentials only when everything is on loopback).
        String host = address.map(InetAddress::getHostAddress).orElse("127.0.0.1");
        List<String> flags = List.of("--region", Stack.SOURCE_REGION,
                "--endpoint", Stack.SOURCE_REGION + "=http://" + host + ":" + AWS.source().port(),
                "--endpoint", Stack.REPLICA_REGION + "=http://" + host + ":" + AWS.replica().port(),
                "--s3-endpoint", S3.server().endpoint().toString());
        List<String[]> commands = List.of(
                new String[] {"streams", "status", "--table", "orders"},
                new String[] {"pairs", "list"},
                new String[] {"pairs", "add", "--source-table", "orders", "--source-region", Stack.SOURCE_REGION, "--replica-table",
                        "no-such-replica", "--replica-region", Stack.REPLICA_REGION, "--id", "missing-replica"},
                new String[] {"backfill", "--pair", pair.id()},
                new String[] {"verify", "--pair", pair.id()},
                new String[] {"--json", "verify", "--pair", pair.id()},
                new String[] {"verify", "--pair", "drift"},
                new String[] {"status", "--pair", pair.id()},
                new String[] {"dlq", "list", "--pair", pair.id(), "--bucket", Stack.DLQ_BUCKET},
                new String[] {"backup", "run", "--table", "orders", "--bucket", "backups", "--prefix", "creds"},
                new String[] {"backup", "run", "--table", "orders", "--bucket", "no-such-bucket"},
                new String[] {"--json", "backup", "list", "--bucket", "backups"},
                new String[] {"restore", "--bucket", "backups", "--export", "01700000000000-1a2b3c4d", "--target-table", "x-restored"},
                new String[] {"kcl", "run", "--pair", "nope", "--dead-letter-bucket", "b"});
        List<String> texts = new ArrayList<>();
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        String[] keys = {"aws.accessKeyId", "aws.secretAccessKey", "aws.sessionToken"};
        String[] values = {FakeCredentials.ACCESS_KEY, FakeCredentials.SECRET_KEY, FakeCredentials.SESSION_TOKEN};
        int exitCodesSeen = 0;
        try {
            System.setOut(new PrintStream(new Tee(out, logs), true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(new Tee(err, logs), true, StandardCharsets.UTF_8));
            for (int i = 0; i < keys.length; i++) {
                System.setProperty(keys[i], values[i]);
            }
            WireTap.countedAccessKey = FakeCredentials.ACCESS_KEY;
            for (String[] command : commands) {
                List<String> args = new ArrayList<>(flags);
                Collections.addAll(args, command);
                CommandRunner.Run run = CommandRunner.run(args.toArray(String[]::new));
                texts.add(run.out());
                texts.add(run.err());
                exitCodesSeen |= 1 << run.code();
            }
            // The Lambda replicator signing with temporary credentials, through throttling and a dead letter.
            FaultInjector throttling = new FaultInjector(0.3, 3, "PutItem", "TransactWriteItems");
            try (LambdaReplicator lambda = new LambdaReplicator(stack, AwsSessionCredentials.create(FakeCredentials.ACCESS_KEY,
                    FakeCredentials.SECRET_KEY, FakeCredentials.SESSION_TOKEN), throttling);
                 LambdaStreamPoller poller = lambda.poller("orders").batchSize(50).build()) {
                stack.sourceClient().putItem(b -> b.tableName("orders").item(S3OutageTest.underTheLimitWithRange("secret-test")));
                poller.drain(Duration.ofMinutes(1));
                texts.addAll(lambda.batchLines);
            }
        } finally {
            for (String key : keys) {
                System.clearProperty(key);
            }
            System.setOut(out);
            System.setErr(err);
        }
        texts.add(logs.toString(StandardCharsets.UTF_8));
        long signed = WireTap.SIGNED_WITH_KEY.get();
        List<String> found = leaks(texts);
        Results.record("security: fake access key, secret key and session token (default chain, and the Lambda's session"
                        + " credentials); " + commands.size() + " command runs (ok and failing) and a Lambda run with throttling and"
                        + " a dead letter; every output, message and log line searched",
                signed + " requests signed with the fake key", found.isEmpty() ? "no secret found" : "LEAKED: " + found, 0);

        assertThat(signed).as("requests signed with the fake credentials (they were really used)").isGreaterThan(20);
        assertThat(exitCodesSeen).as("successes and failures both searched").isEqualTo(0b111);
        assertThat(logs.size()).as("log lines captured").isPositive();
        assertThat(found).isEmpty();
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws Exception {
        for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (network.isUp() && !network.isLoopback()) {
                for (InetAddress address : Collections.list(network.getInetAddresses())) {
                    if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
                        return Optional.of(address);
                    }
                }
            }
        }
        return Optional.empty();
    }

    @Test
    void backupsAndRestoreCheckpointsAreWrittenWithTheEncryptionAskedFor() {
        WireTap.recordS3 = true;
        String sseS3 = exportId(stack.cli("backup", "run", "--table", "orders", "--bucket", "backups", "--prefix", "sse-s3"));
        List<WireTap.S3Call> defaultCalls = writes();
        WireTap.S3_CALLS.clear();
        stack.cli("backup", "run", "--table", "orders", "--bucket", "backups", "--prefix", "sse-kms", "--kms-key", "alias/backups");
        List<WireTap.S3Call> kmsCalls = writes();
        WireTap.S3_CALLS.clear();
        CommandRunner.Run restore = stack.cli("restore", "--bucket", "backups", "--export", sseS3, "--target-table", "orders-sse-restored");
        List<WireTap.S3Call> restoreCalls = writes();
        Results.record("security: backup encryption as the S3 server receives it", "backup run (default), --kms-key alias/backups, restore",
                defaultCalls.size() + " object writes with x-amz-server-side-encryption: AES256; " + kmsCalls.size()
                        + " with aws:kms and the key; restore checkpoints " + restoreCalls.stream().map(c -> c.header(
                        "x-amz-server-side-encryption").orElse("NONE")).distinct().toList(), 0);

        assertThat(defaultCalls).as("object writes of the default backup").hasSizeGreaterThan(4)
                .allSatisfy(c -> assertThat(c.header("x-amz-server-side-encryption")).as(c.operation()).contains("AES256"));
        assertThat(kmsCalls).hasSizeGreaterThan(4).allSatisfy(c -> {
            assertThat(c.header("x-amz-server-side-encryption")).as(c.operation()).contains("aws:kms");
            assertThat(c.header("x-amz-server-side-encryption-aws-kms-key-id")).as(c.operation()).contains("alias/backups");
        });
        assertThat(restore.code()).as(restore.toString()).isZero();
        assertThat(restoreCalls).as("the restore's checkpoints, encrypted like the export").isNotEmpty()
                .allSatisfy(c -> assertThat(c.header("x-amz-server-side-encryption")).as(c.operation()).contains("AES256"));
    }

    /** The calls that create objects: where the encryption headers go. */
    private static List<WireTap.S3Call> writes() {
        return WireTap.S3_CALLS.stream().filter(c -> c.path().startsWith("/backups"))
                .filter(c -> c.operation().equals("PutObject") || c.operation().equals("CreateMultipartUpload")).toList();
    }

    @Test
    void theExpectedBucketOwnerGoesWithEveryS3CallAndARestoreRefusesABucketOfAnotherOwner() {
        WireTap.recordS3 = true;
        String exportId = exportId(stack.cli("backup", "run", "--table", "orders", "--bucket", "backups", "--prefix", "owned",
                "--expected-bucket-owner", OWNER));
        stack.cli("backup", "list", "--bucket", "backups", "--expected-bucket-owner", OWNER);
        List<WireTap.S3Call> calls = WireTap.S3_CALLS.stream().filter(c -> c.path().startsWith("/backups")).toList();

        // S3 refuses a call whose expected owner is not the bucket's; the in-process server does not, so the tap plays S3.
        WireTap.bucketOwner = OWNER;
        World before = World.of(stack);
        CommandRunner.Run refused = stack.cli("restore", "--bucket", "backups", "--export", exportId, "--target-table", "orders-owned",
                "--expected-bucket-owner", OTHER);
        List<String> changes = World.of(stack).changesSince(before);
        CommandRunner.Run badAccount = stack.cli("restore", "--bucket", "backups", "--export", exportId, "--target-table", "orders-owned",
                "--expected-bucket-owner", "12345");
        CommandRunner.Run trusted = stack.cli("restore", "--bucket", "backups", "--export", exportId, "--target-table", "orders-owned",
                "--expected-bucket-owner", OWNER);
        Results.record("security: restore from a bucket owned by another account than --expected-bucket-owner",
                "restore --expected-bucket-owner " + OTHER + " (bucket owned by " + OWNER + ")",
                "exit " + refused.code() + ": " + refused.err().strip() + "; nothing written; every S3 call of backup run/list carried"
                        + " x-amz-expected-bucket-owner", 0);

        assertThat(calls).hasSizeGreaterThan(5).allSatisfy(c -> assertThat(c.header("x-amz-expected-bucket-owner")).as(c.operation())
                .contains(OWNER));
        assertThat(refused.code()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.err()).contains("not owned by the expected account " + OTHER);
        assertThat(refused.err().strip().lines()).hasSize(1);
        assertThat(changes).as("what the refused restore changed").isEmpty();
        assertThat(badAccount.code()).as(badAccount.toString()).isEqualTo(2);
        assertThat(badAccount.err()).contains("12-digit");
        assertThat(trusted.code()).as(trusted.toString()).isZero();
    }

    private static String exportId(CommandRunner.Run backup) {
        assertThat(backup.code()).as(backup.toString()).isZero();
        Matcher matcher = Pattern.compile("--export (\\S+)").matcher(backup.out());
        assertThat(matcher.find()).as(backup.out()).isTrue();
        return matcher.group(1);
    }

    /** Writes to two streams: the real one, and a buffer the test searches. */
    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final ByteArrayOutputStream second;

        Tee(OutputStream first, ByteArrayOutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws java.io.IOException {
            first.write(b);
            synchronized (second) {
                second.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws java.io.IOException {
            first.write(b, off, len);
            synchronized (second) {
                second.write(b, off, len);
            }
        }
    }
}
