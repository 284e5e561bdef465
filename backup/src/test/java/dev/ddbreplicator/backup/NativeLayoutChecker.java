package dev.ddbreplicator.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Checks an export against DynamoDB's documented native layout, independently of the product's own
 * reader: only the JDK, Jackson and the S3 client. Manifests parse and carry the native fields in the
 * native order, the .md5 files hold the base64 MD5 of the manifests, every data file's MD5 and ETag
 * match, the files are gzip JSON lines of exactly {@code {"Item":{...}}}, and the counts add up.
 */
final class NativeLayoutChecker {

    static final List<String> SUMMARY_FIELDS = List.of("version", "exportArn", "startTime", "endTime", "tableArn", "tableId",
            "exportTime", "s3Bucket", "s3Prefix", "s3SseAlgorithm", "s3SseKmsKeyId", "manifestFilesS3Key", "billedSizeBytes", "itemCount",
            "outputFormat");
    static final List<String> FILE_FIELDS = List.of("itemCount", "md5Checksum", "etag", "dataFileS3Key");
    private static final Pattern TIME = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    private static final Pattern DATA_KEY = Pattern.compile(".*/AWSDynamoDB/\\d{14}-[0-9a-f]{8}/data/[a-z2-7]{26}\\.json\\.gz");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** What the check found. */
    record Report(JsonNode summary, int dataFiles, long itemCount, List<JsonNode> items) {
    }

    private NativeLayoutChecker() {
    }

    /**
     * @param prefix the export prefix, empty for the root
     * @param keepItems whether to return every {@code Item} node (small exports only)
     */
    static Report check(S3Client s3, String bucket, String prefix, String exportId, boolean keepItems) throws Exception {
        assertThat(exportId).matches("\\d{14}-[0-9a-f]{8}");
        String dir = (prefix.isEmpty() ? "" : prefix + "/") + "AWSDynamoDB/" + exportId + "/";

        assertThat(get(s3, bucket, dir + "_started").asByteArray()).as("_started is empty").isEmpty();

        byte[] summaryBytes = get(s3, bucket, dir + "manifest-summary.json").asByteArray();
        String summaryText = new String(summaryBytes, StandardCharsets.UTF_8);
        assertThat(summaryText).as("the summary is one line").doesNotContain("\n");
        assertThat(new String(get(s3, bucket, dir + "manifest-summary.md5").asByteArray(), StandardCharsets.US_ASCII))
                .as("manifest-summary.md5").isEqualTo(base64Md5(summaryBytes)).hasSize(24);
        JsonNode summary = MAPPER.readTree(summaryBytes);
        List<String> fields = new ArrayList<>();
        summary.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).as("summary fields in native order").isEqualTo(SUMMARY_FIELDS);
        assertThat(summary.get("version").asText()).isEqualTo("2020-06-30");
        assertThat(summary.get("outputFormat").asText()).isEqualTo("DYNAMODB_JSON");
        assertThat(summary.get("s3Bucket").asText()).isEqualTo(bucket);
        if (prefix.isEmpty()) {
            assertThat(summary.get("s3Prefix").isNull()).isTrue();
        } else {
            assertThat(summary.get("s3Prefix").asText()).isEqualTo(prefix);
        }
        assertThat(summary.get("exportArn").asText()).isEqualTo(summary.get("tableArn").asText() + "/export/" + exportId);
        assertThat(summary.get("tableArn").asText()).matches("arn:aws:dynamodb:[^:]+:\\d+:table/[A-Za-z0-9_.-]+");
        for (String time : List.of("startTime", "endTime", "exportTime")) {
            assertThat(summary.get(time).asText()).as(time).matches(TIME);
        }
        assertThat(summary.get("s3SseAlgorithm").asText()).isIn("AES256", "KMS");
        assertThat(summary.get("manifestFilesS3Key").asText()).isEqualTo(dir + "manifest-files.json");
        assertThat(summary.get("itemCount").isIntegralNumber()).isTrue();
        assertThat(summary.get("billedSizeBytes").isIntegralNumber()).isTrue();

        byte[] filesBytes = get(s3, bucket, dir + "manifest-files.json").asByteArray();
        assertThat(new String(get(s3, bucket, dir + "manifest-files.md5").asByteArray(), StandardCharsets.US_ASCII))
                .as("manifest-files.md5").isEqualTo(base64Md5(filesBytes));
        String filesText = new String(filesBytes, StandardCharsets.UTF_8);
        assertThat(filesText).as("JSON lines, newline-terminated").endsWith("\n");

        long total = 0;
        int files = 0;
        List<JsonNode> items = new ArrayList<>();
        Set<String> manifestKeys = new HashSet<>();
        for (String line : filesText.split("\n")) {
            JsonNode entry = MAPPER.readTree(line);
            List<String> entryFields = new ArrayList<>();
            entry.fieldNames().forEachRemaining(entryFields::add);
            assertThat(entryFields).as("manifest-files fields").isEqualTo(FILE_FIELDS);
            String key = entry.get("dataFileS3Key").asText();
            assertThat(key).startsWith(dir + "data/").matches(DATA_KEY);
            manifestKeys.add(key);
            ResponseBytes<GetObjectResponse> data = get(s3, bucket, key);
            byte[] bytes = data.asByteArray();
            assertThat(entry.get("md5Checksum").asText()).as("md5Checksum of " + key).isEqualTo(base64Md5(bytes));
            assertThat(entry.get("etag").asText()).as("etag of " + key).isEqualTo(data.response().eTag().replace("\"", ""));
            long lines = 0;
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(new GZIPInputStream(new ByteArrayInputStream(bytes)),
                    StandardCharsets.UTF_8))) {
                String text;
                while ((text = reader.readLine()) != null) {
                    JsonNode item = MAPPER.readTree(text);
                    List<String> top = new ArrayList<>();
                    item.fieldNames().forEachRemaining(top::add);
                    assertThat(top).as("a data line is {\"Item\":...}").containsExactly("Item");
                    assertThat(item.get("Item").isObject()).isTrue();
                    item.get("Item").fields().forEachRemaining(f -> assertThat(f.getValue().size()).as("one type per value").isEqualTo(1));
                    if (keepItems) {
                        items.add(item.get("Item"));
                    }
                    lines++;
                }
            }
            assertThat(lines).as("items in " + key).isEqualTo(entry.get("itemCount").asLong());
            total += lines;
            files++;
        }
        assertThat(total).as("item counts add up").isEqualTo(summary.get("itemCount").asLong());
        Set<String> stored = new HashSet<>();
        s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(dir + "data/")).contents().stream().map(S3Object::key).forEach(stored::add);
        assertThat(stored).as("data files are exactly those in the manifest").isEqualTo(manifestKeys);
        return new Report(summary, files, total, items);
    }

    static String base64Md5(byte[] bytes) throws Exception {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(bytes));
    }

    private static ResponseBytes<GetObjectResponse> get(S3Client s3, String bucket, String key) throws IOException {
        return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
    }
}
