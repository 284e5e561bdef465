package dev.ddbreplicator.backup;

import java.util.Optional;

/**
 * Server-side encryption of every object a backup writes: SSE-S3 (AES256, the default, as for native
 * exports) or SSE-KMS with the given key.
 *
 * @param kmsKeyId the KMS key ID, ARN or alias; empty means SSE-S3
 */
public record Encryption(Optional<String> kmsKeyId) {

    public Encryption {
        if (kmsKeyId.isPresent() && kmsKeyId.get().isBlank()) {
            throw BackupUsageException.of("--kms-key", "is empty");
        }
    }

    public static Encryption sseS3() {
        return new Encryption(Optional.empty());
    }

    public static Encryption kms(String keyId) {
        return new Encryption(Optional.of(keyId));
    }

    /** The value of the manifest's {@code s3SseAlgorithm}: {@code AES256} or {@code KMS}. */
    public String manifestAlgorithm() {
        return kmsKeyId.isPresent() ? "KMS" : "AES256";
    }
}
