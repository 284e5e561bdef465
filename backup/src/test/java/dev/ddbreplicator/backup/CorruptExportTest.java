package dev.ddbreplicator.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ddbreplicator.testkit.LocalRegionsExtension;
import dev.ddbreplicator.testkit.LocalS3Extension;
import dev.ddbreplicator.testkit.TableShape;
import dev.ddbreplicator.testkit.TestTables;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Issue 5: a damaged export is refused with a clear error before anything is written: no table is
 * created, no item written, no checkpoint left. Each case copies a good export to its own prefix and
 * damages one thing there; the damaged data file is the last one, so a restore that wrote as it
 * checked would have written the others.
 */
class CorruptExportTest {

    private static final String BUCKET = "corrupt";

    @RegisterExtension
    static final LocalRegionsExtension AWS = LocalRegionsExtension.of(LocalAws.REGION);

    @RegisterExtension
    static final LocalS3Extension S3 = LocalS3Extension.inMemory();

    private static LocalAws local;
    private static S3Client fixtures;
    private static String exportId;
    private static String goodDir;

    @BeforeAll
    static void exportATable() {
        local = new LocalAws(AWS.source(), S3.server());
        fixtures = S3.server().client();
        local.createBucket(BUCKET);
        TestTables.create(local.dynamoDb(), "source", TableShape.HASH_AND_RANGE);
        LocalAws.load(local.dynamoDb(), "source", 600, i -> TestItems.item(i, 9), 4);
        BackupResult backup = new BackupJob(local.clients, LocalAws.REGION, Clock.systemUTC())
                .run(BackupRequest.builder("source", BUCKET).prefix("good").segments(4).build());
        exportId = backup.exportId();
        goodDir = backup.directory();
    }

    @AfterAll
    static void unwire() {
        fixtures.close();
        local.close();
    }

    @Test
    void aDataFileThatIsNotGzipIsRefusedEvenWhenItsMd5Matches() throws Exception {
        String prefix = copy("bad-gzip");
        String key = lastDataFile(prefix);
        byte[] garbage = "this is not gzip at all".getBytes(StandardCharsets.UTF_8);
        put(key, garbage);
        rewriteManifestLine(prefix, key, NativeLayoutChecker.base64Md5(garbage));

        assertRefused(prefix, "bad-gzip-target", "is not valid gzip");
    }

    @Test
    void aDataFileWhoseBytesDoNotMatchItsMd5IsRefused() throws Exception {
        String prefix = copy("wrong-md5");
        String key = lastDataFile(prefix);
        // A valid gzip file with one item changed: only the checksum can tell.
        put(key, regzip(get(key), text -> text.replaceFirst("\"name\":\\{\"S\":\"name-", "\"name\":{\"S\":\"NAME-")));

        assertRefused(prefix, "wrong-md5-target", "does not match its md5Checksum");
    }

    @Test
    void aLineThatIsNotAnItemIsRefused() throws Exception {
        String prefix = copy("bad-line");
        String key = lastDataFile(prefix);
        byte[] damaged = regzip(get(key), text -> text.replaceFirst("\\{\"Item\":", "{\"Itme\":"));
        put(key, damaged);
        rewriteManifestLine(prefix, key, NativeLayoutChecker.base64Md5(damaged));

        assertRefused(prefix, "bad-line-target", "line 1: not {\"Item\":{...}}");
    }

    @Test
    void aMissingSummaryManifestIsRefused() throws Exception {
        String prefix = copy("no-summary");
        fixtures.deleteObject(b -> b.bucket(BUCKET).key(dir(prefix) + "manifest-summary.json"));

        assertRefused(prefix, "no-summary-target", "has no manifest-summary.json: the backup did not finish");
    }

    @Test
    void aMissingFilesManifestIsRefused() throws Exception {
        String prefix = copy("no-files");
        fixtures.deleteObject(b -> b.bucket(BUCKET).key(dir(prefix) + "manifest-files.json"));

        assertRefused(prefix, "no-files-target", "has no manifest-files.json");
    }

    @Test
    void anEditedSummaryManifestIsRefused() throws Exception {
        String prefix = copy("edited-summary");
        String key = dir(prefix) + "manifest-summary.json";
        put(key, new String(get(key), StandardCharsets.UTF_8).replace("\"itemCount\":600", "\"itemCount\":601").getBytes(StandardCharsets.UTF_8));

        assertRefused(prefix, "edited-summary-target", "manifest-summary.json does not match manifest-summary.md5");
    }

    @Test
    void countsThatDoNotAddUpAreRefused() throws Exception {
        String prefix = copy("bad-count");
        String key = lastDataFile(prefix);
        String filesKey = dir(prefix) + "manifest-files.json";
        List<String> lines = new ArrayList<>();
        for (String line : new String(get(filesKey), StandardCharsets.UTF_8).split("\n")) {
            lines.add(line.contains(key.substring(key.lastIndexOf('/'))) ? line.replaceFirst("\"itemCount\":(\\d+)", "\"itemCount\":1$1") : line);
        }
        writeFilesManifest(prefix, lines);

        assertRefused(prefix, "bad-count-target", "counts");
    }

    private static void assertRefused(String prefix, String target, String message) {
        RestoreJob restore = new RestoreJob(local.clients, LocalAws.REGION, Clock.systemUTC());
        assertThatThrownBy(() -> restore.run(RestoreRequest.builder(BUCKET, exportId, target).prefix(prefix).build()))
                .isInstanceOf(CorruptExportException.class)
                .hasMessageContaining(message)
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> local.dynamoDb().describeTable(b -> b.tableName(target)))
                .as("no table was created").isInstanceOf(ResourceNotFoundException.class);
        assertThat(fixtures.listObjectsV2(b -> b.bucket(BUCKET).prefix(dir(prefix) + "restore-checkpoints/")).contents())
                .as("no checkpoint was written").isEmpty();
    }

    private static String copy(String prefix) {
        for (S3Object object : fixtures.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(goodDir)).contents()) {
            String target = dir(prefix) + object.key().substring(goodDir.length());
            fixtures.copyObject(b -> b.sourceBucket(BUCKET).sourceKey(object.key()).destinationBucket(BUCKET).destinationKey(target));
        }
        return prefix;
    }

    private static String dir(String prefix) {
        return prefix + "/AWSDynamoDB/" + exportId + "/";
    }

    /** The data file named last in the copied manifest, at its copied location. */
    private static String lastDataFile(String prefix) {
        String[] lines = new String(get(dir(prefix) + "manifest-files.json"), StandardCharsets.UTF_8).split("\n");
        String key = lines[lines.length - 1].replaceAll(".*\"dataFileS3Key\":\"([^\"]+)\".*", "$1");
        return dir(prefix) + key.substring(key.indexOf("/data/") + 1);
    }

    /** Gives a data file's manifest line a new MD5, and the manifest a matching .md5, as a tool that rewrote both would. */
    private static void rewriteManifestLine(String prefix, String key, String md5) throws Exception {
        String name = key.substring(key.lastIndexOf('/'));
        List<String> lines = new ArrayList<>();
        for (String line : new String(get(dir(prefix) + "manifest-files.json"), StandardCharsets.UTF_8).split("\n")) {
            lines.add(line.contains(name) ? line.replaceFirst("\"md5Checksum\":\"[^\"]+\"", "\"md5Checksum\":\"" + md5 + "\"") : line);
        }
        writeFilesManifest(prefix, lines);
    }

    private static void writeFilesManifest(String prefix, List<String> lines) throws Exception {
        byte[] manifest = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        put(dir(prefix) + "manifest-files.json", manifest);
        put(dir(prefix) + "manifest-files.md5", NativeLayoutChecker.base64Md5(manifest).getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] regzip(byte[] gz, UnaryOperator<String> edit) throws Exception {
        String text = new String(new GZIPInputStream(new ByteArrayInputStream(gz)).readAllBytes(), StandardCharsets.UTF_8);
        String edited = edit.apply(text);
        assertThat(edited).as("the edit changed something").isNotEqualTo(text);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(edited.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private static byte[] get(String key) {
        return fixtures.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
    }

    private static void put(String key, byte[] bytes) {
        NativeExportFixture.put(fixtures, BUCKET, key, bytes);
    }
}
