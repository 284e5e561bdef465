package dev.ddbreplicator.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbreplicator.backup.format.Json;
import dev.ddbreplicator.backup.schedule.ScheduleConfig;
import dev.ddbreplicator.backup.schedule.ScheduleInput;
import dev.ddbreplicator.backup.schedule.ScheduledBackup;
import dev.ddbreplicator.backup.schedule.ScheduledBackupHandler;
import dev.ddbreplicator.testkit.LocalRegionsExtension;
import dev.ddbreplicator.testkit.LocalS3Extension;
import dev.ddbreplicator.testkit.TableShape;
import dev.ddbreplicator.testkit.TestTables;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 5: the scheduled Lambda backs up its tables and applies the retention; its configuration fails fast and names the variable. */
class ScheduledBackupTest {

    private static final String BUCKET = "scheduled";

    @RegisterExtension
    static final LocalRegionsExtension AWS = LocalRegionsExtension.of(LocalAws.REGION);

    @RegisterExtension
    static final LocalS3Extension S3 = LocalS3Extension.inMemory();

    private static LocalAws local;

    @BeforeAll
    static void wire() {
        local = new LocalAws(AWS.source(), S3.server());
        local.createBucket(BUCKET);
        for (String table : List.of("users", "carts")) {
            TestTables.create(local.dynamoDb(), table, TableShape.HASH_AND_RANGE);
            LocalAws.load(local.dynamoDb(), table, 50, i -> TestItems.item(i, 6), 2);
        }
    }

    @AfterAll
    static void unwire() {
        local.close();
    }

    @Test
    void eachScheduledRunBacksUpEveryTableAndKeepsTheNewestN() throws Exception {
        ScheduleConfig config = ScheduleConfig.fromEnv(Map.of("AWS_REGION", LocalAws.REGION, "BACKUP_BUCKET", BUCKET,
                "BACKUP_TABLES", "users, carts", "BACKUP_PREFIX", "nightly", "BACKUP_KEEP", "2", "BACKUP_SEGMENTS", "2"));
        Instant day = Instant.parse("2024-06-01T03:00:00Z");
        for (int run = 0; run < 3; run++) {
            Clock clock = Clock.fixed(day.plus(Duration.ofDays(run)), ZoneOffset.UTC);
            JsonNode answer = invoke(new ScheduledBackupHandler(config, local.clients, clock),
                    "{\"version\":\"0\",\"detail-type\":\"Scheduled Event\",\"source\":\"aws.events\",\"detail\":{}}");
            assertThat(answer.get("backups")).hasSize(2);
            assertThat(answer.get("backups").get(0).get("items").asLong()).isEqualTo(50);
        }
        List<BackupEntry> left = new BackupCatalog(local.s3(), Clock.systemUTC()).list(new ListRequest(BUCKET, "nightly", Optional.empty()));
        assertThat(left).extracting(e -> e.tableName().orElseThrow() + "@" + e.startTime())
                .containsExactly("carts@2024-06-03T03:00:00Z", "carts@2024-06-02T03:00:00Z",
                        "users@2024-06-03T03:00:00Z", "users@2024-06-02T03:00:00Z");
    }

    @Test
    void theSchedulesInputOverridesTheEnvironment() throws Exception {
        ScheduleConfig config = ScheduleConfig.fromEnv(Map.of("AWS_REGION", LocalAws.REGION, "BACKUP_BUCKET", BUCKET));
        JsonNode answer = invoke(new ScheduledBackupHandler(config, local.clients, Clock.systemUTC()),
                "{\"tables\":[\"carts\"],\"prefix\":\"weekly\",\"segments\":3,\"rate\":\"5000\",\"retention\":{\"olderThan\":\"30d\"}}");
        assertThat(answer.get("backups")).singleElement().satisfies(b -> {
            assertThat(b.get("table").asText()).isEqualTo("carts");
            assertThat(b.get("directory").asText()).startsWith("s3://" + BUCKET + "/weekly/AWSDynamoDB/");
            assertThat(b.get("files").asInt()).isEqualTo(3);
        });
    }

    @Test
    void aFailingTableFailsTheRunButTheOthersAreBackedUp() {
        ScheduleConfig config = ScheduleConfig.fromEnv(Map.of("AWS_REGION", LocalAws.REGION, "BACKUP_BUCKET", BUCKET,
                "BACKUP_TABLES", "missing-table,users", "BACKUP_PREFIX", "partial", "BACKUP_KEEP", "1"));
        ScheduledBackupHandler handler = new ScheduledBackupHandler(config, local.clients, Clock.systemUTC());
        assertThatThrownBy(() -> invoke(handler, ""))
                .isInstanceOfSatisfying(ScheduledBackup.ScheduleFailedException.class, e -> {
                    assertThat(e.report().backups()).extracting(BackupResult::table).containsExactly("users");
                    assertThat(e.getMessage()).isEqualTo("1 of 2 backups failed: missing-table: table missing-table does not exist in us-east-1");
                });
    }

    @Test
    void badConfigurationNamesTheVariable() {
        Map<String, String> base = Map.of("AWS_REGION", "us-east-1", "BACKUP_BUCKET", "b-1");
        assertThatThrownBy(() -> ScheduleConfig.fromEnv(Map.of("AWS_REGION", "us-east-1")))
                .hasMessage("BACKUP_BUCKET is not set: name the backup bucket");
        assertThatThrownBy(() -> ScheduleConfig.fromEnv(with(base, "BACKUP_RATE", "lots")))
                .hasMessage("BACKUP_RATE: must be items per second (e.g. 500) or a share of read capacity (e.g. 25%), got 'lots'");
        assertThatThrownBy(() -> ScheduleConfig.fromEnv(with(base, "BACKUP_KEEP", "0")))
                .hasMessage("BACKUP_KEEP: must be between 1 and 100000, got 0");
        assertThatThrownBy(() -> ScheduleConfig.fromEnv(with(with(base, "BACKUP_KEEP", "3"), "BACKUP_OLDER_THAN", "30d")))
                .hasMessage("BACKUP_KEEP and BACKUP_OLDER_THAN are both set: give one retention rule");
        assertThatThrownBy(() -> ScheduleConfig.fromEnv(with(base, "BACKUP_TABLES", "ok-table,x")))
                .hasMessage("BACKUP_TABLES: 'x' is not a DynamoDB table name (3-255 of a-z A-Z 0-9 _ . -)");
        assertThatThrownBy(() -> ScheduleConfig.fromEnv(with(base, "BACKUP_BUCKET", "Bad_Bucket")))
                .hasMessage("BACKUP_BUCKET: 'Bad_Bucket' is not an S3 bucket name (3-63 of a-z 0-9 . -)");
        assertThatThrownBy(() -> ScheduleInput.apply(ScheduleConfig.fromEnv(base), "{\"rate\":\"fast\"}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageStartingWith("input rate: must be items per second");
        assertThatThrownBy(() -> new ScheduledBackup(null, null).run(ScheduleConfig.fromEnv(base), () -> Duration.ofMinutes(15)))
                .hasMessage("no table to back up: set BACKUP_TABLES or give \"tables\" in the schedule's input");
    }

    private static Map<String, String> with(Map<String, String> env, String name, String value) {
        Map<String, String> copy = new java.util.HashMap<>(env);
        copy.put(name, value);
        return copy;
    }

    private static JsonNode invoke(ScheduledBackupHandler handler, String event) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, context(Duration.ofMinutes(15)));
        return Json.read(out.toByteArray());
    }

    /** A Lambda context that only knows the time left. */
    private static Context context(Duration left) {
        return (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[] {Context.class}, (proxy, method, args) -> {
            if (method.getName().equals("getRemainingTimeInMillis")) {
                return (int) left.toMillis();
            }
            if (method.getReturnType() == int.class) {
                return 0;
            }
            return null;
        });
    }
}
