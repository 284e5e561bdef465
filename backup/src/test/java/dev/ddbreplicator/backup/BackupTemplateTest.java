package dev.ddbreplicator.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ddbreplicator.backup.schedule.ScheduleConfig;
import dev.ddbreplicator.backup.schedule.ScheduledBackup;
import dev.ddbreplicator.testkit.LocalRegionsExtension;
import dev.ddbreplicator.testkit.LocalS3Extension;
import dev.ddbreplicator.testkit.TableShape;
import dev.ddbreplicator.testkit.TestTables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Holds the scheduled backup function in {@code sam/template.yaml} to the code: its handler, its
 * environment (only variables the code reads), and its role, which must grant every AWS call a
 * scheduled run makes (recorded on the embedded stack, a failed run's clean-up included) and nothing
 * else but the logs Lambda writes and the KMS key that one local account cannot show.
 */
class BackupTemplateTest {

    private static final Map<String, String> IAM_ACTION = Map.ofEntries(
            Map.entry("DynamoDb:Scan", "dynamodb:Scan"),
            Map.entry("DynamoDb:DescribeTable", "dynamodb:DescribeTable"),
            Map.entry("DynamoDb:DescribeTimeToLive", "dynamodb:DescribeTimeToLive"),
            Map.entry("S3:PutObject", "s3:PutObject"),
            Map.entry("S3:CreateMultipartUpload", "s3:PutObject"),
            Map.entry("S3:UploadPart", "s3:PutObject"),
            Map.entry("S3:CompleteMultipartUpload", "s3:PutObject"),
            Map.entry("S3:AbortMultipartUpload", "s3:AbortMultipartUpload"),
            Map.entry("S3:GetObject", "s3:GetObject"),
            Map.entry("S3:DeleteObject", "s3:DeleteObject"),
            Map.entry("S3:DeleteObjects", "s3:DeleteObject"),
            Map.entry("S3:ListObjectsV2", "s3:ListBucket"));
    private static final Set<String> LAMBDA_OR_NOT_LOCAL = Set.of("logs:CreateLogStream", "logs:PutLogEvents", "kms:GenerateDataKey",
            "kms:Decrypt");

    @RegisterExtension
    static final LocalRegionsExtension AWS = LocalRegionsExtension.of(LocalAws.REGION);

    @RegisterExtension
    static final LocalS3Extension S3 = LocalS3Extension.inMemory();

    @Test
    void theBackupFunctionIsDeclaredAsTheCodeExpects() throws Exception {
        String function = section("  BackupFunction:", "\n\n");
        assertThat(function).contains("Handler: dev.ddbreplicator.backup.schedule.ScheduledBackupHandler::handleRequest")
                .contains("CodeUri: ../backup/target/ddb-replicator-backup-lambda.jar")
                .containsPattern("Runtime: java(17|21)")
                .contains("Type: Schedule");
        assertThat(Files.readString(root().resolve("backup/pom.xml"))).contains("ddb-replicator-backup-lambda.jar");
        Set<String> variables = new TreeSet<>();
        Matcher m = Pattern.compile("\n {10}(BACKUP_[A-Z_]+):").matcher(function);
        while (m.find()) {
            variables.add(m.group(1));
        }
        assertThat(variables).contains(ScheduleConfig.BUCKET, ScheduleConfig.TABLES, ScheduleConfig.PREFIX);
        assertThat(ScheduleConfig.VARIABLES).as("variables the code reads").containsAll(variables);
    }

    @Test
    void theRoleGrantsExactlyTheCallsAScheduledRunMakes() throws Exception {
        Set<String> granted = new TreeSet<>();
        Matcher m = Pattern.compile("\n {18}- ([a-z0-9]+:[A-Za-z]+)").matcher(section("  BackupRole:", "\n\n"));
        while (m.find()) {
            granted.add(m.group(1));
        }
        assertThat(granted).noneMatch(a -> a.contains("*"));

        Set<String> called = recordAScheduledRun();
        assertThat(called).as("calls the role does not grant").isSubsetOf(granted);
        Set<String> unused = new TreeSet<>(granted);
        unused.removeAll(called);
        unused.removeAll(LAMBDA_OR_NOT_LOCAL);
        assertThat(unused).as("grants no recorded call needed").isEmpty();
    }

    /** Two scheduled runs with retention (the second deletes the first's export) and one that fails and cleans up. */
    private static Set<String> recordAScheduledRun() {
        Recorder recorder = new Recorder();
        try (LocalAws local = new LocalAws(AWS.source(), S3.server(), recorder)) {
            local.createBucket("template-check");
            TestTables.create(local.dynamoDb(), "orders", TableShape.HASH_AND_RANGE);
            LocalAws.load(local.dynamoDb(), "orders", 200, i -> TestItems.item(i, 1), 2);
            ScheduleConfig config = ScheduleConfig.fromEnv(Map.of("AWS_REGION", LocalAws.REGION, "BACKUP_BUCKET", "template-check",
                    "BACKUP_TABLES", "orders", "BACKUP_KEEP", "1"));
            recorder.on = true;
            DynamoDbClient dynamoDb = local.dynamoDb();
            try (S3Client s3 = S3Client.builder().region(software.amazon.awssdk.regions.Region.US_EAST_1).endpointOverride(S3.server().endpoint())
                    .forcePathStyle(true).credentialsProvider(dev.ddbreplicator.testkit.LocalCredentials.provider())
                    .overrideConfiguration(c -> c.addExecutionInterceptor(recorder)).build()) {
                for (int day = 0; day < 2; day++) {
                    Clock clock = Clock.fixed(Instant.parse("2024-06-01T03:00:00Z").plus(Duration.ofDays(day)), ZoneOffset.UTC);
                    new ScheduledBackup(new BackupJob(dynamoDb, s3, LocalAws.REGION, clock), new BackupCatalog(s3, clock))
                            .run(config, () -> Duration.ofMinutes(15));
                }
                try (LocalAws failing = new LocalAws(AWS.source(), S3.server(), recorder, new FailAfter("Scan", 1))) {
                    assertThatThrownBy(() -> new ScheduledBackup(new BackupJob(failing.dynamoDb(), s3, LocalAws.REGION, Clock.systemUTC()),
                            new BackupCatalog(s3, Clock.systemUTC())).run(config, () -> Duration.ofMinutes(15)))
                            .isInstanceOf(BackupFailedException.class);
                }
            }
        }
        Set<String> actions = new TreeSet<>();
        for (String call : recorder.calls) {
            String action = IAM_ACTION.get(call);
            assertThat(action).as("the IAM action of " + call).isNotNull();
            actions.add(action);
        }
        assertThat(actions).contains("s3:DeleteObject", "s3:AbortMultipartUpload", "dynamodb:Scan");
        return actions;
    }

    private static String section(String start, String end) throws Exception {
        String template = Files.readString(root().resolve("sam/template.yaml"));
        int from = template.indexOf(start);
        assertThat(from).as(start.strip() + " in sam/template.yaml").isPositive();
        int to = template.indexOf(end, from);
        return template.substring(from, to < 0 ? template.length() : to);
    }

    private static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("sam/template.yaml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no sam/template.yaml above " + Path.of("").toAbsolutePath());
    }

    /** Records service:operation of every call while on. */
    private static final class Recorder implements ExecutionInterceptor {
        final Set<String> calls = java.util.concurrent.ConcurrentHashMap.newKeySet();
        volatile boolean on;

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (on) {
                calls.add(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + ":"
                        + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
            }
        }
    }
}
