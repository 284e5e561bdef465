package dev.ddbreplicator.backup;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * One backup of one table: {@code backup run --table T --bucket B [--prefix P] [--segments N] [--rate R]
 * [--kms-key K]}. Validated when built; a bad value throws {@link BackupUsageException} naming the option.
 *
 * @param table the table to back up ({@code --table})
 * @param bucket the bucket to write to ({@code --bucket})
 * @param prefix the export prefix ({@code --prefix}, default {@value #DEFAULT_PREFIX}); the export goes to
 *               {@code <prefix>/AWSDynamoDB/<exportId>/}; empty means the bucket's root
 * @param segments parallel Scan segments ({@code --segments}); empty picks one per 256 MiB of table, 4 to 1000
 * @param rate read limit ({@code --rate}): items per second, or a share of provisioned read capacity
 * @param encryption SSE-S3 (default) or SSE-KMS with a key ({@code --kms-key})
 * @param parallelism threads scanning at once ({@code --parallelism}, default 8); segments beyond it wait their turn
 * @param maxFileBytes uncompressed bytes after which a segment starts a new data file
 * @param partSizeBytes multipart upload part size: the memory each thread holds for its data file
 */
public record BackupRequest(String table, String bucket, String prefix, OptionalInt segments, Optional<Rate> rate,
                            Encryption encryption, int parallelism, long maxFileBytes, int partSizeBytes) {

    public static final String DEFAULT_PREFIX = "backups";
    public static final int DEFAULT_PARALLELISM = 8;
    public static final long DEFAULT_MAX_FILE_BYTES = 512L << 20;
    /** S3's smallest part (all but the last part of an upload must be at least this). */
    public static final int MIN_PART_SIZE = 5 << 20;
    public static final int DEFAULT_PART_SIZE = 8 << 20;
    /** DynamoDB's limit on TotalSegments. */
    public static final int MAX_SEGMENTS = 1_000_000;

    public BackupRequest {
        Options.table("--table", table);
        Options.bucket("--bucket", bucket);
        prefix = Options.prefix("--prefix", prefix);
        segments.ifPresent(n -> Options.atLeast("--segments", n, 1, MAX_SEGMENTS));
        if (rate == null || encryption == null) {
            throw new BackupUsageException("", "rate and encryption must be given (empty and SSE-S3 by default)");
        }
        Options.atLeast("--parallelism", parallelism, 1, 256);
        if (maxFileBytes < (1 << 20)) {
            throw BackupUsageException.of("--max-file-bytes", "must be at least 1 MiB, got " + maxFileBytes);
        }
        if (partSizeBytes < MIN_PART_SIZE || partSizeBytes > (512 << 20)) {
            throw BackupUsageException.of("--part-size", "must be 5 MiB to 512 MiB (S3's part limits), got " + partSizeBytes);
        }
    }

    /** A request with every default: prefix {@value #DEFAULT_PREFIX}, segments from table size, no rate limit, SSE-S3. */
    public static Builder builder(String table, String bucket) {
        return new Builder(table, bucket);
    }

    /** Builds a {@link BackupRequest}; unset options keep their defaults. */
    public static final class Builder {
        private final String table;
        private final String bucket;
        private String prefix = DEFAULT_PREFIX;
        private OptionalInt segments = OptionalInt.empty();
        private Optional<Rate> rate = Optional.empty();
        private Encryption encryption = Encryption.sseS3();
        private int parallelism = DEFAULT_PARALLELISM;
        private long maxFileBytes = DEFAULT_MAX_FILE_BYTES;
        private int partSizeBytes = DEFAULT_PART_SIZE;

        private Builder(String table, String bucket) {
            this.table = table;
            this.bucket = bucket;
        }

        public Builder prefix(String value) {
            this.prefix = value;
            return this;
        }

        public Builder segments(int value) {
            this.segments = OptionalInt.of(value);
            return this;
        }

        public Builder rate(Rate value) {
            this.rate = Optional.of(value);
            return this;
        }

        public Builder encryption(Encryption value) {
            this.encryption = value;
            return this;
        }

        public Builder parallelism(int value) {
            this.parallelism = value;
            return this;
        }

        public Builder maxFileBytes(long value) {
            this.maxFileBytes = value;
            return this;
        }

        public Builder partSizeBytes(int value) {
            this.partSizeBytes = value;
            return this;
        }

        public BackupRequest build() {
            return new BackupRequest(table, bucket, prefix, segments, rate, encryption, parallelism, maxFileBytes, partSizeBytes);
        }
    }
}
