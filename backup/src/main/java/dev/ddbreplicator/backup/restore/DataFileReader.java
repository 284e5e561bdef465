package dev.ddbreplicator.backup.restore;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.ddbreplicator.backup.CorruptExportException;
import dev.ddbreplicator.backup.format.Checksums;
import dev.ddbreplicator.backup.format.ManifestFileEntry;
import dev.ddbreplicator.backup.run.Calls;
import dev.ddbreplicator.core.json.DynamoJson;
import dev.ddbreplicator.core.retry.Retrier;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PushbackInputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Streams the items of one {@code data/*.json.gz} file: gunzips, reads {@code {"Item":{...}}} lines,
 * and checks the object's MD5 and item count against its manifest line. Memory is one line at a time.
 */
public final class DataFileReader {

    /** Receives items in file order. */
    @FunctionalInterface
    public interface ItemSink {
        void accept(Map<String, AttributeValue> item) throws Exception;
    }

    private final S3Client s3;
    private final Retrier retrier;
    private final String bucket;

    public DataFileReader(S3Client s3, Retrier retrier, String bucket) {
        this.s3 = s3;
        this.retrier = retrier;
        this.bucket = bucket;
    }

    /**
     * Reads the whole file, checks it, and gives each item to the sink.
     *
     * @param key where the file is (resolved from the manifest)
     * @param ifMatch the ETag the object must still have (from the verification pass), or empty
     * @return the object's ETag, to pin the same bytes in a later pass
     * @throws CorruptExportException when the MD5, the gzip stream, a line or the count is wrong
     */
    public String read(ManifestFileEntry entry, String key, Optional<String> ifMatch, ItemSink sink) throws Exception {
        byte[] expectedMd5 = Checksums.parseMd5(entry.md5Checksum())
                .orElseThrow(() -> new CorruptExportException(where(key) + ": md5Checksum '" + entry.md5Checksum() + "' in manifest-files.json is not an MD5"));
        GetObjectRequest.Builder get = GetObjectRequest.builder().bucket(bucket).key(key);
        ifMatch.ifPresent(get::ifMatch);
        MessageDigest md5 = Checksums.md5();
        long items = 0;
        String etag;
        GetObjectRequest request = get.build();
        try (ResponseInputStream<GetObjectResponse> object = Calls.firstThenRetry(() -> s3.getObject(request), retrier, Retrier.Listener.NONE,
                NoSuchKeyException.class);
             DigestInputStream digest = new DigestInputStream(object, md5)) {
            etag = object.response().eTag();
            PushbackInputStream in = new PushbackInputStream(digest, 1);
            int first = in.read();
            if (first < 0) {
                // An empty object: native exports write "an empty file" for an empty partition.
                return finish(entry, key, expectedMd5, md5, 0, etag);
            }
            in.unread(first);
            try {
                // Not closed here: closing would close the digest stream before it is drained below.
                BufferedReader lines = new BufferedReader(new InputStreamReader(new GZIPInputStream(in, 64 << 10), StandardCharsets.UTF_8),
                        64 << 10);
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.isBlank()) {
                        continue;
                    }
                    items++;
                    sink.accept(parseLine(line, key, items));
                }
            } catch (ZipException | EOFException e) {
                throw new CorruptExportException(where(key) + " is not valid gzip (" + e.getMessage() + ")", e);
            }
            // Drain what gzip did not need so that the MD5 covers the whole object.
            digest.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (NoSuchKeyException e) {
            throw new CorruptExportException(where(key) + " is listed in manifest-files.json but missing", e);
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                throw new CorruptExportException(where(key) + " changed after it was verified", e);
            }
            throw e;
        }
        return finish(entry, key, expectedMd5, md5, items, etag);
    }

    private String finish(ManifestFileEntry entry, String key, byte[] expectedMd5, MessageDigest md5, long items, String etag) {
        if (!Arrays.equals(md5.digest(), expectedMd5)) {
            throw new CorruptExportException(where(key) + " does not match its md5Checksum " + entry.md5Checksum() + " in manifest-files.json");
        }
        if (items != entry.itemCount()) {
            throw new CorruptExportException(where(key) + " holds " + items + " items but manifest-files.json says " + entry.itemCount());
        }
        return etag;
    }

    private String where(String key) {
        return "data file s3://" + bucket + "/" + key;
    }

    /** One {@code {"Item":{...}}} line. */
    static Map<String, AttributeValue> parseLine(String line, String key, long number) {
        try (JsonParser parser = DynamoJson.FACTORY.createParser(line)) {
            if (parser.nextToken() != JsonToken.START_OBJECT || parser.nextToken() != JsonToken.FIELD_NAME
                    || !"Item".equals(parser.currentName())) {
                throw new IOException("not {\"Item\":{...}}");
            }
            parser.nextToken();
            Map<String, AttributeValue> item = DynamoJson.readItem(parser);
            if (parser.nextToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
                throw new IOException("more than one field: not {\"Item\":{...}}");
            }
            if (item.isEmpty()) {
                throw new IOException("empty item");
            }
            return item;
        } catch (IOException | IllegalArgumentException e) {
            throw new CorruptExportException("data file " + key + " line " + number + ": " + e.getMessage());
        }
    }
}
