package dev.ddbreplicator.backup;

import java.util.Optional;

/**
 * Server-side encryption of every object a backup writes: SSE-S3 (AES256, the default, as for native
 * exports), SSE-KMS with a given key, or whatever the bucket's default encryption applies (no
 * encryption header is sent: for S3-compatible stores that refuse one).
 *
 * @param mode which of the three
 * @param kmsKeyId the KMS key ID, ARN or alias, for {@link Mode#SSE_KMS}
 */
public record Encryption(Mode mode, Optional<String> kmsKeyId) {

    /** How objects are encrypted. */
    public enum Mode {
        SSE_S3,
        SSE_KMS,
        BUCKET_DEFAULT
    }

    public Encryption {
        if (mode == null) {
            throw new BackupUsageException("--kms-key", "an encryption mode is required");
        }
        if (mode == Mode.SSE_KMS && (kmsKeyId.isEmpty() || kmsKeyId.get().isBlank())) {
            throw BackupUsageException.of("--kms-key", "is empty");
        }
        if (mode != Mode.SSE_KMS && kmsKeyId.isPresent()) {
            throw BackupUsageException.of("--kms-key", "is only for SSE-KMS");
        }
    }

    public static Encryption sseS3() {
        return new Encryption(Mode.SSE_S3, Optional.empty());
    }

    public static Encryption kms(String keyId) {
        return new Encryption(Mode.SSE_KMS, Optional.of(keyId));
    }

    /** Sends no encryption header: the bucket's default encryption applies. */
    public static Encryption bucketDefault() {
        return new Encryption(Mode.BUCKET_DEFAULT, Optional.empty());
    }
}
