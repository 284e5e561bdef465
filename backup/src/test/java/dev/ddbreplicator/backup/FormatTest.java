package dev.ddbreplicator.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbreplicator.backup.format.Checksums;
import dev.ddbreplicator.backup.format.ExportId;
import dev.ddbreplicator.backup.format.ExportLayout;
import dev.ddbreplicator.backup.format.ManifestFileEntry;
import dev.ddbreplicator.backup.format.ManifestSummary;
import dev.ddbreplicator.backup.format.TableDefinition;
import dev.ddbreplicator.backup.restore.ItemEquality;
import dev.ddbreplicator.backup.restore.RestoreCheckpoint;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/** The native format's pieces, byte for byte, without AWS. */
class FormatTest {

    @Test
    void theSummaryIsOneCompactLineInNativeOrderWithNulls() throws Exception {
        Instant start = Instant.parse("2020-11-04T07:28:34.028Z");
        ManifestSummary summary = new ManifestSummary("2020-06-30", "arn:aws:dynamodb:us-east-1:123456789012:table/T/export/01604474914028-a1b2c3d4",
                start, Instant.parse("2020-11-04T07:33:43Z"), "arn:aws:dynamodb:us-east-1:123456789012:table/T", "id-1", start, "b", null,
                "AES256", null, "AWSDynamoDB/01604474914028-a1b2c3d4/manifest-files.json", 0, 8, "DYNAMODB_JSON", Optional.empty());

        assertThat(new String(summary.toJson(), StandardCharsets.UTF_8)).isEqualTo("{\"version\":\"2020-06-30\","
                + "\"exportArn\":\"arn:aws:dynamodb:us-east-1:123456789012:table/T/export/01604474914028-a1b2c3d4\","
                + "\"startTime\":\"2020-11-04T07:28:34.028Z\",\"endTime\":\"2020-11-04T07:33:43.000Z\","
                + "\"tableArn\":\"arn:aws:dynamodb:us-east-1:123456789012:table/T\",\"tableId\":\"id-1\","
                + "\"exportTime\":\"2020-11-04T07:28:34.028Z\",\"s3Bucket\":\"b\",\"s3Prefix\":null,\"s3SseAlgorithm\":\"AES256\","
                + "\"s3SseKmsKeyId\":null,\"manifestFilesS3Key\":\"AWSDynamoDB/01604474914028-a1b2c3d4/manifest-files.json\","
                + "\"billedSizeBytes\":0,\"itemCount\":8,\"outputFormat\":\"DYNAMODB_JSON\"}");
        assertThat(ManifestSummary.parse(summary.toJson())).isEqualTo(summary);
        assertThat(summary.tableName()).contains("T");
    }

    @Test
    void aMissingExportTypeMeansAFullExport() throws Exception {
        ManifestSummary parsed = ManifestSummary.parse("{\n \"manifestFilesS3Key\": \"k\",\n \"itemCount\": 3\n}".getBytes(StandardCharsets.UTF_8));
        assertThat(parsed.exportType()).isEmpty();
        assertThat(parsed.outputFormat()).isEqualTo("DYNAMODB_JSON");
        assertThat(ManifestSummary.parse("{\"manifestFilesS3Key\":\"k\",\"itemCount\":3,\"exportType\":\"INCREMENTAL_EXPORT\"}"
                .getBytes(StandardCharsets.UTF_8)).exportType()).contains("INCREMENTAL_EXPORT");
    }

    @Test
    void filesManifestLinesAreCompactAndNewlineTerminated() throws Exception {
        List<ManifestFileEntry> entries = List.of(new ManifestFileEntry(8, "sQMSpEILNgoQmarvDFonGQ==", "af83d6f217c19b8b0fff8023d8ca4716-1", "p/AWSDynamoDB/x/data/a.json.gz"),
                new ManifestFileEntry(0, "1B2M2Y8AsgTpgAmY7PhCfg==", "e-1", "p/AWSDynamoDB/x/data/b.json.gz"));
        String text = new String(ManifestFileEntry.toJsonLines(entries), StandardCharsets.UTF_8);
        assertThat(text).isEqualTo("{\"itemCount\":8,\"md5Checksum\":\"sQMSpEILNgoQmarvDFonGQ==\",\"etag\":\"af83d6f217c19b8b0fff8023d8ca4716-1\","
                + "\"dataFileS3Key\":\"p/AWSDynamoDB/x/data/a.json.gz\"}\n{\"itemCount\":0,\"md5Checksum\":\"1B2M2Y8AsgTpgAmY7PhCfg==\",\"etag\":\"e-1\","
                + "\"dataFileS3Key\":\"p/AWSDynamoDB/x/data/b.json.gz\"}\n");
        assertThat(ManifestFileEntry.parseLines(text.getBytes(StandardCharsets.UTF_8))).isEqualTo(entries);
    }

    @Test
    void md5sAreBase64AndHexIsReadToo() {
        byte[] empty = new byte[0];
        assertThat(Checksums.base64Md5(empty)).isEqualTo("1B2M2Y8AsgTpgAmY7PhCfg==");
        assertThat(new String(Checksums.md5File(empty), StandardCharsets.US_ASCII)).hasSize(24);
        assertThat(Checksums.parseMd5("1B2M2Y8AsgTpgAmY7PhCfg==\n")).hasValueSatisfying(b -> assertThat(HexFormat.of().formatHex(b))
                .isEqualTo("d41d8cd98f00b204e9800998ecf8427e"));
        assertThat(Checksums.parseMd5("d41d8cd98f00b204e9800998ecf8427e")).isPresent();
        assertThat(Checksums.parseMd5("not a checksum")).isEmpty();
    }

    @Test
    void exportIdsAndDataFileNamesLookNative() {
        Random random = new Random(1);
        String id = ExportId.create(Instant.ofEpochMilli(1_604_474_914_028L), random);
        assertThat(id).matches("01604474914028-[0-9a-f]{8}");
        assertThat(ExportId.startOf(id)).isEqualTo(Instant.ofEpochMilli(1_604_474_914_028L));
        ExportLayout layout = new ExportLayout("nightly/orders", id);
        assertThat(layout.directory()).isEqualTo("nightly/orders/AWSDynamoDB/" + id + "/");
        assertThat(layout.newDataFile(random)).matches("nightly/orders/AWSDynamoDB/" + id + "/data/[a-z2-7]{26}\\.json\\.gz");
        assertThat(new ExportLayout("", id).manifestSummary()).isEqualTo("AWSDynamoDB/" + id + "/manifest-summary.json");
        assertThat(ExportLayout.ofDirectory("nightly/orders/AWSDynamoDB/" + id + "/")).contains(layout);
        assertThat(ExportLayout.ofDirectory("AWSDynamoDB/" + id + "/")).contains(new ExportLayout("", id));
        assertThat(ExportLayout.ofDirectory("nightly/AWSDynamoDB/not-an-id/")).isEmpty();
    }

    @Test
    void manifestKeysAreFoundUnderTheExportsOwnDirectory() {
        ExportLayout copied = new ExportLayout("copies/2024", "01604474914028-a1b2c3d4");
        assertThat(copied.resolve("old/prefix/AWSDynamoDB/01604474914028-a1b2c3d4/data/x.json.gz"))
                .isEqualTo("copies/2024/AWSDynamoDB/01604474914028-a1b2c3d4/data/x.json.gz");
        assertThat(copied.resolve("AWSDynamoDB/01604474914028-a1b2c3d4/manifest-files.json"))
                .as("the guide's example keys, without the prefix").isEqualTo("copies/2024/AWSDynamoDB/01604474914028-a1b2c3d4/manifest-files.json");
    }

    @Test
    void theTableDescriptionRoundTrips() throws Exception {
        TableDefinition definition = new TableDefinition("orders", "arn:aws:dynamodb:us-east-1:1:table/orders",
                List.of(new TableDefinition.Key("pk", KeyType.HASH), new TableDefinition.Key("sk", KeyType.RANGE)),
                List.of(new TableDefinition.Attribute("pk", ScalarAttributeType.S), new TableDefinition.Attribute("sk", ScalarAttributeType.N),
                        new TableDefinition.Attribute("g", ScalarAttributeType.S)),
                BillingMode.PROVISIONED, Optional.of(new TableDefinition.Throughput(10, 5)),
                List.of(new TableDefinition.Index("by-g", List.of(new TableDefinition.Key("g", KeyType.HASH)), ProjectionType.INCLUDE,
                        List.of("name"), Optional.of(new TableDefinition.Throughput(3, 2)))),
                List.of(new TableDefinition.Index("by-sk", List.of(new TableDefinition.Key("pk", KeyType.HASH), new TableDefinition.Key("g", KeyType.RANGE)),
                        ProjectionType.ALL, List.of(), Optional.empty())),
                Optional.of("expires"), Optional.of(StreamViewType.NEW_AND_OLD_IMAGES), Optional.empty(), 42, 4096);
        assertThat(TableDefinition.parse(definition.toJson())).isEqualTo(definition);
        var create = definition.toCreateTable("orders-copy");
        assertThat(create.tableName()).isEqualTo("orders-copy");
        assertThat(create.provisionedThroughput().readCapacityUnits()).isEqualTo(10);
        assertThat(create.globalSecondaryIndexes().get(0).projection().nonKeyAttributes()).containsExactly("name");
        assertThat(create.streamSpecification().streamViewType()).isEqualTo(StreamViewType.NEW_AND_OLD_IMAGES);
    }

    @Test
    void aCheckpointRoundTripsAndKnowsWhatIsUnsaved() throws Exception {
        RestoreCheckpoint checkpoint = new RestoreCheckpoint("01604474914028-a1b2c3d4", "md5", "copy", Set.of("_rv"),
                RestoreCheckpoint.Phase.LOADING, true);
        checkpoint.start(3);
        assertThat(checkpoint.advance(3, 25)).isEqualTo(25);
        checkpoint.saved(checkpoint.snapshot());
        assertThat(checkpoint.advance(3, 25)).as("items since the last save").isEqualTo(25);
        checkpoint.start(5);
        checkpoint.finish(5);

        RestoreCheckpoint read = RestoreCheckpoint.parse(checkpoint.snapshot().bytes());
        assertThat(read.isFinished(5)).isTrue();
        assertThat(read.wasStarted(3)).isTrue();
        assertThat(read.done(3, 100)).isEqualTo(50);
        assertThat(read.done(5, 100)).isEqualTo(100);
        assertThat(read.done(7, 100)).isZero();
        assertThat(read.stripped()).containsExactly("_rv");
        assertThat(read.createdTable()).isTrue();
    }

    @Test
    void itemsCompareAsDynamoDbSeesThem() {
        Map<String, AttributeValue> a = Map.of("n", AttributeValue.fromN("1.50"), "ss", AttributeValue.fromSs(List.of("x", "y")),
                "ns", AttributeValue.fromNs(List.of("1", "2.0")), "l", AttributeValue.fromL(List.of(AttributeValue.fromN("10"))));
        Map<String, AttributeValue> b = Map.of("n", AttributeValue.fromN("1.5"), "ss", AttributeValue.fromSs(List.of("y", "x")),
                "ns", AttributeValue.fromNs(List.of("2", "1")), "l", AttributeValue.fromL(List.of(AttributeValue.fromN("1E+1"))));
        assertThat(ItemEquality.same(a, b)).isTrue();
        assertThat(ItemEquality.same(a, Map.of("n", AttributeValue.fromN("1.5")))).isFalse();
        assertThat(ItemEquality.same(Map.of("l", AttributeValue.fromL(List.of(AttributeValue.fromS("a"), AttributeValue.fromS("b")))),
                Map.of("l", AttributeValue.fromL(List.of(AttributeValue.fromS("b"), AttributeValue.fromS("a")))))).as("lists keep order").isFalse();
    }
}
