package dev.ddbreplicator.backup.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code manifest-summary.json}: one line of compact JSON describing a finished export, with the
 * fields, order and null values of DynamoDB's native export (version 2020-06-30).
 *
 * @param exportType {@code FULL_EXPORT} or {@code INCREMENTAL_EXPORT} when the manifest says; native full
 *                   exports made before incremental exports existed do not, and mean a full export
 */
public record ManifestSummary(String version, String exportArn, Instant startTime, Instant endTime, String tableArn, String tableId,
                              Instant exportTime, String s3Bucket, String s3Prefix, String s3SseAlgorithm, String s3SseKmsKeyId,
                              String manifestFilesS3Key, long billedSizeBytes, long itemCount, String outputFormat,
                              Optional<String> exportType) {

    public static final String VERSION = "2020-06-30";
    public static final String DYNAMODB_JSON = "DYNAMODB_JSON";
    public static final String FULL_EXPORT = "FULL_EXPORT";

    /** The bytes of the file: one line of compact JSON, no trailing newline, as native exports write it. */
    public byte[] toJson() {
        return Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("version", version);
            g.writeStringField("exportArn", exportArn);
            g.writeStringField("startTime", Json.time(startTime));
            g.writeStringField("endTime", Json.time(endTime));
            g.writeStringField("tableArn", tableArn);
            g.writeStringField("tableId", tableId);
            g.writeStringField("exportTime", Json.time(exportTime));
            g.writeStringField("s3Bucket", s3Bucket);
            Json.stringOrNull(g, "s3Prefix", s3Prefix);
            g.writeStringField("s3SseAlgorithm", s3SseAlgorithm);
            Json.stringOrNull(g, "s3SseKmsKeyId", s3SseKmsKeyId);
            g.writeStringField("manifestFilesS3Key", manifestFilesS3Key);
            g.writeNumberField("billedSizeBytes", billedSizeBytes);
            g.writeNumberField("itemCount", itemCount);
            g.writeStringField("outputFormat", outputFormat);
            if (exportType.isPresent()) {
                g.writeStringField("exportType", exportType.get());
            }
            g.writeEndObject();
        });
    }

    /**
     * Reads a summary, compact or pretty-printed.
     *
     * @throws IOException when it is not JSON or lacks the fields a restore needs
     */
    public static ManifestSummary parse(byte[] bytes) throws IOException {
        JsonNode node = Json.read(bytes);
        if (node == null || !node.isObject()) {
            throw new IOException("not a JSON object");
        }
        String filesKey = Json.text(node, "manifestFilesS3Key").orElseThrow(() -> new IOException("manifestFilesS3Key is missing"));
        long itemCount = Json.number(node, "itemCount").orElseThrow(() -> new IOException("itemCount is missing or not a whole number"));
        Instant start = Json.instant(node, "startTime").orElse(Instant.EPOCH);
        return new ManifestSummary(
                Json.text(node, "version").orElse(""),
                Json.text(node, "exportArn").orElse(""),
                start,
                Json.instant(node, "endTime").orElse(start),
                Json.text(node, "tableArn").orElse(""),
                Json.text(node, "tableId").orElse(""),
                Json.instant(node, "exportTime").orElse(start),
                Json.text(node, "s3Bucket").orElse(""),
                Json.text(node, "s3Prefix").orElse(null),
                Json.text(node, "s3SseAlgorithm").orElse(null),
                Json.text(node, "s3SseKmsKeyId").orElse(null),
                filesKey,
                Json.number(node, "billedSizeBytes").orElse(0),
                itemCount,
                Json.text(node, "outputFormat").orElse(DYNAMODB_JSON),
                Json.text(node, "exportType"));
    }

    /** The table name in {@code tableArn}, or empty when the ARN has none. */
    public Optional<String> tableName() {
        return tableNameOf(tableArn);
    }

    public static Optional<String> tableNameOf(String tableArn) {
        int at = tableArn == null ? -1 : tableArn.indexOf(":table/");
        if (at < 0) {
            return Optional.empty();
        }
        String rest = tableArn.substring(at + ":table/".length());
        int slash = rest.indexOf('/');
        return Optional.of(slash < 0 ? rest : rest.substring(0, slash));
    }
}
