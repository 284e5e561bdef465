package dev.ddbreplicator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbreplicator.core.aws.AwsClients;
import dev.ddbreplicator.testkit.LocalRegionsExtension;
import dev.ddbreplicator.testkit.LocalS3Extension;
import dev.ddbreplicator.testkit.TableComparer;
import dev.ddbreplicator.testkit.TableDiff;
import dev.ddbreplicator.testkit.TableShape;
import dev.ddbreplicator.testkit.TestTables;
import dev.ddbreplicator.testkit.Workload;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 8: the backup module's verbs through the command: backup run, then restore into a new table. */
class BackupRestoreCommandTest {

    @RegisterExtension
    static final LocalRegionsExtension AWS = LocalRegionsExtension.of("us-east-1", "eu-west-1");

    @RegisterExtension
    static final LocalS3Extension S3 = LocalS3Extension.inMemory();

    private static final Cli CLI = new Cli(AWS, S3);
    private static AwsClients clients;

    @BeforeAll
    static void wire() {
        clients = CLI.clients();
        clients.s3("us-east-1").createBucket(b -> b.bucket("backups"));
        TestTables.create(clients.dynamoDb("us-east-1"), "catalog", TableShape.HASH_AND_RANGE);
        new Workload(TableShape.HASH_AND_RANGE, 400, 3, 1.0, 0).run(clients.dynamoDb("us-east-1"), "catalog", 500, 2);
    }

    @AfterAll
    static void unwire() {
        clients.close();
    }

    @Test
    void aBackupRestoredIntoANewTableHoldsTheSameItems() {
        Cli.Run backup = CLI.run("--json", "backup", "run", "--table", "catalog", "--bucket", "backups");
        assertThat(backup.code()).as(backup.toString()).isZero();
        String exportId = backup.json().get("data").get("exportId").asText();
        assertThat(backup.json().get("data").get("items").asLong()).isPositive();

        Cli.Run restore = CLI.run("restore", "--bucket", "backups", "--export", exportId, "--target-table", "catalog-copy");
        assertThat(restore.code()).as(restore.toString()).isZero();
        assertThat(restore.out()).contains("into catalog-copy");
        TableDiff diff = new TableComparer(Set.of()).compare(clients.dynamoDb("us-east-1"), "catalog", clients.dynamoDb("us-east-1"), "catalog-copy");
        assertThat(diff.isEqual()).as(diff.toString()).isTrue();

        Cli.Run again = CLI.run("restore", "--bucket", "backups", "--export", exportId, "--target-table", "catalog-copy");
        assertThat(again.code()).isEqualTo(2);
        assertThat(again.err().lines()).hasSize(1);
    }

    @Test
    void listShowsEveryBackupAndPruneKeepsTheNewestAfterADryRun() {
        clients.s3("us-east-1").createBucket(b -> b.bucket("rotation"));
        String older = CLI.run("--json", "backup", "run", "--table", "catalog", "--bucket", "rotation").json().get("data").get("exportId").asText();
        String newer = CLI.run("--json", "backup", "run", "--table", "catalog", "--bucket", "rotation").json().get("data").get("exportId").asText();

        Cli.Run list = CLI.run("--json", "backup", "list", "--bucket", "rotation", "--table", "catalog");
        assertThat(list.code()).as(list.toString()).isZero();
        assertThat(list.json().get("data").get("backups")).extracting(b -> b.get("exportId").asText()).containsExactly(newer, older);

        Cli.Run dryRun = CLI.run("backup", "prune", "--bucket", "rotation", "--keep", "1", "--dry-run");
        assertThat(dryRun.code()).as(dryRun.toString()).isZero();
        assertThat(dryRun.out()).contains("would delete " + older);
        assertThat(CLI.run("--json", "backup", "list", "--bucket", "rotation").json().get("data").get("backups")).hasSize(2);

        Cli.Run prune = CLI.run("backup", "prune", "--bucket", "rotation", "--keep", "1");
        assertThat(prune.code()).as(prune.toString()).isZero();
        assertThat(CLI.run("--json", "backup", "list", "--bucket", "rotation").json().get("data").get("backups"))
                .extracting(b -> b.get("exportId").asText()).containsExactly(newer);

        assertThat(CLI.run("backup", "prune", "--bucket", "rotation").code()).isEqualTo(2);
        assertThat(CLI.run("backup", "prune", "--bucket", "rotation", "--keep", "1", "--older-than", "30d").code()).isEqualTo(2);
        assertThat(CLI.run("backup", "prune", "--bucket", "rotation", "--older-than", "soon").code()).isEqualTo(2);
        assertThat(CLI.run("backup", "list", "--bucket", "no-such-bucket").code()).isEqualTo(2);
    }

    @Test
    void anExportWithoutOurTableDescriptionIsRestoredWithTheKeySchemaFromTheCommandLine() {
        clients.s3("us-east-1").createBucket(b -> b.bucket("native"));
        Cli.Run backup = CLI.run("--json", "backup", "run", "--table", "catalog", "--bucket", "native", "--parallelism", "2",
                "--bucket-encryption");
        assertThat(backup.code()).as(backup.toString()).isZero();
        String exportId = backup.json().get("data").get("exportId").asText();
        // What DynamoDB's own Export to S3 leaves: the same layout, but no description of the table.
        clients.s3("us-east-1").listObjectsV2Paginator(b -> b.bucket("native")).contents().stream()
                .filter(o -> o.key().endsWith("table-description.json"))
                .forEach(o -> clients.s3("us-east-1").deleteObject(b -> b.bucket("native").key(o.key())));

        Cli.Run withoutKeys = CLI.run("restore", "--bucket", "native", "--export", exportId, "--target-table", "catalog-native");
        assertThat(withoutKeys.code()).as(withoutKeys.toString()).isEqualTo(2);
        assertThat(withoutKeys.err()).contains("--partition-key");

        Cli.Run restore = CLI.run("restore", "--bucket", "native", "--export", exportId, "--target-table", "catalog-native",
                "--partition-key", "pk:S", "--sort-key", "sk:N", "--parallelism", "2");
        assertThat(restore.code()).as(restore.toString()).isZero();
        TableDiff diff = new TableComparer(Set.of()).compare(clients.dynamoDb("us-east-1"), "catalog", clients.dynamoDb("us-east-1"),
                "catalog-native");
        assertThat(diff.isEqual()).as(diff.toString()).isTrue();
    }

    @Test
    void badInputIsExitTwoWithTheOptionNamed() {
        Cli.Run bothEncryptions = CLI.run("backup", "run", "--table", "catalog", "--bucket", "backups", "--kms-key", "alias/k",
                "--bucket-encryption");
        assertThat(bothEncryptions.code()).isEqualTo(2);
        assertThat(bothEncryptions.err()).contains("--kms-key");

        Cli.Run missingTable = CLI.run("backup", "run", "--table", "no-such-table", "--bucket", "backups");
        assertThat(missingTable.code()).isEqualTo(2);
        assertThat(missingTable.err()).contains("no-such-table");

        Cli.Run badRate = CLI.run("backup", "run", "--table", "catalog", "--bucket", "backups", "--rate", "fast");
        assertThat(badRate.code()).isEqualTo(2);
        assertThat(badRate.err()).contains("--rate");

        Cli.Run badExport = CLI.run("restore", "--bucket", "backups", "--export", "not-an-id", "--target-table", "x-table");
        assertThat(badExport.code()).isEqualTo(2);
        assertThat(badExport.err()).contains("--export");
        assertThat(clients.dynamoDb("us-east-1").listTables().tableNames()).doesNotContain("x-table");
    }
}
