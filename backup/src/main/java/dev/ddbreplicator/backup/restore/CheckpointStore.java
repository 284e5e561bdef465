package dev.ddbreplicator.backup.restore;

import dev.ddbreplicator.backup.CorruptExportException;
import dev.ddbreplicator.backup.Encryption;
import dev.ddbreplicator.backup.run.Calls;
import dev.ddbreplicator.core.retry.Retrier;
import java.io.IOException;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/** Loads, saves and deletes a restore's checkpoint object; saves are serialised so an older state never overwrites a newer one. */
public final class CheckpointStore {

    private final S3Client s3;
    private final Retrier retrier;
    private final String bucket;
    private final String key;
    private final Encryption encryption;
    private final Object saving = new Object();

    /** @param encryption how the checkpoint is encrypted: as the export is */
    public CheckpointStore(S3Client s3, Retrier retrier, String bucket, String key, Encryption encryption) {
        this.s3 = s3;
        this.retrier = retrier;
        this.bucket = bucket;
        this.key = key;
        this.encryption = encryption;
    }

    /** The encryption the export's manifest names: AES256, KMS with its key, or none (the bucket's default). */
    public static Encryption of(String manifestAlgorithm, String manifestKmsKey) {
        if ("AES256".equals(manifestAlgorithm)) {
            return Encryption.sseS3();
        }
        if ("KMS".equals(manifestAlgorithm) && manifestKmsKey != null && !manifestKmsKey.isBlank()) {
            return Encryption.kms(manifestKmsKey);
        }
        return Encryption.bucketDefault();
    }

    public String location() {
        return "s3://" + bucket + "/" + key;
    }

    public Optional<RestoreCheckpoint> load() throws Exception {
        byte[] bytes;
        try {
            bytes = Calls.firstThenRetry(() -> s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray(), retrier,
                    Retrier.Listener.NONE, NoSuchKeyException.class);
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
        try {
            return Optional.of(RestoreCheckpoint.parse(bytes));
        } catch (IOException e) {
            throw new CorruptExportException("restore checkpoint " + location() + " is malformed (" + e.getMessage()
                    + "); delete it to start the restore over");
        }
    }

    /** Writes the checkpoint's current state; returns when it is durable in S3. */
    public void save(RestoreCheckpoint checkpoint) throws Exception {
        synchronized (saving) {
            RestoreCheckpoint.Snapshot snapshot = checkpoint.snapshot();
            PutObjectRequest.Builder put = PutObjectRequest.builder().bucket(bucket).key(key).contentType("application/json");
            switch (encryption.mode()) {
                case SSE_S3 -> put.serverSideEncryption(ServerSideEncryption.AES256);
                case SSE_KMS -> put.serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(encryption.kmsKeyId().orElseThrow());
                case BUCKET_DEFAULT -> {
                    // no header: the bucket's default encryption applies
                }
            }
            PutObjectRequest request = put.build();
            retrier.call(() -> s3.putObject(request, RequestBody.fromBytes(snapshot.bytes())));
            checkpoint.saved(snapshot);
        }
    }

    public void delete() throws Exception {
        synchronized (saving) {
            retrier.call(() -> s3.deleteObject(b -> b.bucket(bucket).key(key)));
        }
    }
}
