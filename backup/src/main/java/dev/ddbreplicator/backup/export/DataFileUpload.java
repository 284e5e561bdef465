package dev.ddbreplicator.backup.export;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import dev.ddbreplicator.backup.Encryption;
import dev.ddbreplicator.backup.format.Checksums;
import dev.ddbreplicator.backup.format.ManifestFileEntry;
import dev.ddbreplicator.core.json.DynamoJson;
import dev.ddbreplicator.core.retry.Retrier;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * One {@code data/<name>.json.gz} file streamed to S3 as a multipart upload while items are written:
 * gzip output collects in one part-sized buffer that is uploaded and reused, so memory stays at one
 * part whatever the file's size. The MD5 of the compressed bytes is computed on the way, for the
 * manifest's {@code md5Checksum}.
 */
final class DataFileUpload implements AutoCloseable {

    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final int partSize;
    private final Retrier retrier;
    private final Retrier.Listener retries;
    private final String uploadId;
    private final PartBuffer buffer;
    private final MessageDigest md5 = Checksums.md5();
    private final CountingStream uncompressed;
    private final GZIPOutputStream gzip;
    private final JsonGenerator json;
    private final List<CompletedPart> parts = new ArrayList<>();
    private long items;
    private long compressedBytes;
    private boolean finished;

    DataFileUpload(S3Client s3, String bucket, String key, Encryption encryption, int partSize, Retrier retrier, Retrier.Listener retries) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.partSize = partSize;
        this.retrier = retrier;
        this.retries = retries;
        CreateMultipartUploadRequest.Builder create = CreateMultipartUploadRequest.builder()
                .bucket(bucket).key(key).contentType("application/gzip");
        switch (encryption.mode()) {
            case SSE_S3 -> create.serverSideEncryption(ServerSideEncryption.AES256);
            case SSE_KMS -> create.serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(encryption.kmsKeyId().orElseThrow());
            case BUCKET_DEFAULT -> {
                // no header: the bucket's default encryption applies
            }
        }
        CreateMultipartUploadRequest request = create.build();
        this.uploadId = retrier.callUnchecked(() -> s3.createMultipartUpload(request).uploadId(), retries);
        // Deflate emits at most its own buffer at a time: a part can overshoot by that, never more.
        this.buffer = new PartBuffer(partSize + (256 << 10));
        try {
            this.gzip = new FastGzip(new DigestOutputStream(buffer, md5), 64 << 10);
            this.uncompressed = new CountingStream(gzip);
            this.json = DynamoJson.FACTORY.createGenerator(uncompressed);
        } catch (IOException e) {
            throw new IllegalStateException("cannot set up gzip", e);
        }
        json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        json.setPrettyPrinter(new MinimalPrettyPrinter(""));
    }

    String key() {
        return key;
    }

    long items() {
        return items;
    }

    long uncompressedBytes() {
        return uncompressed.count;
    }

    /** Appends one {@code {"Item":{...}}} line; uploads a part when the buffer is full. */
    void write(Map<String, AttributeValue> item) throws Exception {
        json.writeStartObject();
        json.writeFieldName("Item");
        DynamoJson.writeItem(json, item);
        json.writeEndObject();
        json.writeRaw('\n');
        items++;
        if (buffer.size() >= partSize) {
            json.flush();
            uploadPart();
        }
    }

    /** Ends the gzip stream, uploads the last part and completes the upload: the file's manifest line. */
    FinishedFile finish() throws Exception {
        json.close();
        gzip.finish();
        if (buffer.size() > 0 || parts.isEmpty()) {
            uploadPart();
        }
        List<CompletedPart> completed = List.copyOf(parts);
        String etag = retrier.call(() -> s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(completed))).eTag(), retries);
        finished = true;
        String md5Checksum = Checksums.base64(md5.digest());
        return new FinishedFile(new ManifestFileEntry(items, md5Checksum, unquote(etag), key), compressedBytes, uncompressed.count);
    }

    /** Abandons the upload so that no parts linger (best effort: a dead process leaves them to the bucket's lifecycle rule). */
    @Override
    public void close() {
        if (!finished) {
            finished = true;
            try {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
            } catch (RuntimeException ignored) {
                // the run is failing already; the lifecycle rule removes what is left
            }
        }
    }

    private void uploadPart() throws Exception {
        int number = parts.size() + 1;
        byte[] bytes = buffer.array();
        int length = buffer.size();
        String etag = retrier.call(() -> s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number)
                        .contentLength((long) length),
                RequestBody.fromInputStream(new ByteArrayInputStream(bytes, 0, length), length)).eTag(), retries);
        parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
        compressedBytes += length;
        buffer.reset();
    }

    private static String unquote(String etag) {
        return etag != null && etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"") ? etag.substring(1, etag.length() - 1) : etag;
    }

    /** A finished data file: its manifest line and sizes. */
    record FinishedFile(ManifestFileEntry entry, long compressedBytes, long uncompressedBytes) {
    }

    /** A byte buffer whose array is lent to the part upload instead of copied. */
    private static final class PartBuffer extends ByteArrayOutputStream {
        PartBuffer(int capacity) {
            super(capacity);
        }

        byte[] array() {
            return buf;
        }
    }

    /**
     * Gzip at zlib's fastest level: compression is most of an export's CPU, and level 1 compressed
     * export-like JSON lines 1.7x faster than the default 6 for 4% more bytes (BENCHMARKS.md). Any gzip reader takes it.
     */
    private static final class FastGzip extends GZIPOutputStream {
        FastGzip(OutputStream out, int size) throws IOException {
            super(out, size);
            def.setLevel(Deflater.BEST_SPEED);
        }
    }

    private static final class CountingStream extends FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
