package dev.ddbreplicator.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ddbreplicator.backup.restore.ItemEquality;
import dev.ddbreplicator.core.json.DynamoJson;
import dev.ddbreplicator.testkit.LocalRegionsExtension;
import dev.ddbreplicator.testkit.LocalS3Extension;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/** Issue 5: a native full export, made by hand from AWS's documented format, restores into a new table keyed from the command line. */
class NativeExportRestoreTest {

    @RegisterExtension
    static final LocalRegionsExtension AWS = LocalRegionsExtension.of(LocalAws.REGION);

    @RegisterExtension
    static final LocalS3Extension S3 = LocalS3Extension.inMemory();

    private static LocalAws local;
    private static RestoreJob restore;
    /** Writes fixtures with the SDK's own retries (the product's clients have them off and retry in one place). */
    private static software.amazon.awssdk.services.s3.S3Client fixtures;

    @BeforeAll
    static void wire() {
        local = new LocalAws(AWS.source(), S3.server());
        restore = new RestoreJob(local.clients, LocalAws.REGION, Clock.systemUTC());
        fixtures = S3.server().client();
    }

    @AfterAll
    static void unwire() {
        fixtures.close();
        local.close();
    }

    @Test
    void aNativeExportWithMd5FilesRestoresEveryItem() throws Exception {
        local.createBucket("native-md5");
        NativeExportFixture.write(fixtures, "native-md5", ".md5", false);

        RestoreResult result = restore.run(RestoreRequest.builder("native-md5", NativeExportFixture.EXPORT_ID, "ProductCatalogCopy")
                .partitionKey(KeyAttribute.parse("--partition-key", "Id:N")).build());

        assertThat(result.itemsWritten()).isEqualTo(NativeExportFixture.itemCount());
        assertRestored("ProductCatalogCopy");
    }

    @Test
    void checksumFilesNamedAsInTheGuideAndAZeroByteEmptyFileAreAccepted() throws Exception {
        local.createBucket("native-checksum");
        NativeExportFixture.write(fixtures, "native-checksum", ".checksum", true);

        restore.run(RestoreRequest.builder("native-checksum", NativeExportFixture.EXPORT_ID, "ProductCatalogCopy2")
                .prefix(NativeExportFixture.PREFIX).partitionKey(KeyAttribute.parse("--partition-key", "Id:N")).build());

        assertRestored("ProductCatalogCopy2");
    }

    @Test
    void aNativeExportNeedsTheKeyToCreateTheTable() throws Exception {
        local.createBucket("native-nokey");
        NativeExportFixture.write(fixtures, "native-nokey", ".md5", false);

        assertThatThrownBy(() -> restore.run(RestoreRequest.builder("native-nokey", NativeExportFixture.EXPORT_ID, "NoKeyGiven").build()))
                .isInstanceOf(BackupUsageException.class)
                .hasMessageContaining("--partition-key NAME:TYPE")
                .extracting(e -> ((BackupUsageException) e).option()).isEqualTo("--partition-key");
        assertThatThrownBy(() -> local.dynamoDb().describeTable(b -> b.tableName("NoKeyGiven"))).isInstanceOf(ResourceNotFoundException.class);
    }

    private static void assertRestored(String table) {
        List<String> lines = NativeExportFixture.allLines();
        for (String line : lines) {
            Map<String, AttributeValue> expected = DynamoJson.parseItem(line.substring("{\"Item\":".length(), line.length() - 1));
            Map<String, AttributeValue> key = new HashMap<>(Map.of("Id", expected.get("Id")));
            Map<String, AttributeValue> stored = local.dynamoDb().getItem(b -> b.tableName(table).key(key).consistentRead(true)).item();
            assertThat(ItemEquality.same(stored, expected)).as("item " + key + ": " + stored).isTrue();
        }
        assertThat(LocalAws.count(local.dynamoDb(), table)).isEqualTo(lines.size());
    }
}
