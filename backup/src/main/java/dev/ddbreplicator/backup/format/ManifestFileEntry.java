package dev.ddbreplicator.backup.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One line of {@code manifest-files.json}: a data file, its item count, the base64 MD5 of the
 * {@code .json.gz} object's bytes, its S3 ETag, and its key.
 */
public record ManifestFileEntry(long itemCount, String md5Checksum, String etag, String dataFileS3Key) {

    /** The line, compact JSON in native order, without the newline. */
    public byte[] toJson() {
        return Json.write(g -> {
            g.writeStartObject();
            g.writeNumberField("itemCount", itemCount);
            g.writeStringField("md5Checksum", md5Checksum);
            g.writeStringField("etag", etag);
            g.writeStringField("dataFileS3Key", dataFileS3Key);
            g.writeEndObject();
        });
    }

    /** The whole {@code manifest-files.json}: one entry per line, each line ending in a newline. */
    public static byte[] toJsonLines(List<ManifestFileEntry> entries) {
        StringBuilder out = new StringBuilder();
        for (ManifestFileEntry entry : entries) {
            out.append(new String(entry.toJson(), StandardCharsets.UTF_8)).append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads {@code manifest-files.json} (JSON lines; blank lines are skipped).
     *
     * @throws IOException naming the line that is not a data file entry
     */
    public static List<ManifestFileEntry> parseLines(byte[] bytes) throws IOException {
        List<ManifestFileEntry> entries = new ArrayList<>();
        String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            JsonNode node;
            try {
                node = Json.MAPPER.readTree(line);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IOException("line " + (i + 1) + " is not JSON: " + e.getOriginalMessage());
            }
            if (node == null || !node.isObject()) {
                throw new IOException("line " + (i + 1) + " is not a JSON object");
            }
            int lineNumber = i + 1;
            String key = Json.text(node, "dataFileS3Key").orElseThrow(() -> new IOException("line " + lineNumber + " has no dataFileS3Key"));
            long count = Json.number(node, "itemCount").orElseThrow(() -> new IOException("line " + lineNumber + " has no itemCount"));
            String md5 = Json.text(node, "md5Checksum").orElseThrow(() -> new IOException("line " + lineNumber + " has no md5Checksum"));
            entries.add(new ManifestFileEntry(count, md5, Json.text(node, "etag").orElse(""), key));
        }
        return entries;
    }
}
