package dev.ddbreplicator.backup;

import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One restore: {@code restore --bucket B --export ID --target-table T [--prefix P] [--into-existing]
 * [--rate R] [--strip-attribute A]... [--partition-key NAME:TYPE [--sort-key NAME:TYPE]] [--parallelism N]}.
 * Validated when built; a bad value throws {@link BackupUsageException} naming the option.
 *
 * @param bucket the bucket holding the export ({@code --bucket})
 * @param exportId the export's ID ({@code --export}), as {@code backup list} shows it
 * @param prefix where to look for it ({@code --prefix}); empty searches the whole bucket
 * @param targetTable the table to restore into ({@code --target-table})
 * @param intoExisting write into an existing table instead of creating one ({@code --into-existing})
 * @param rate write limit in items per second ({@code --rate})
 * @param stripAttributes attributes removed from every item, e.g. the replication version {@code _rv} ({@code --strip-attribute})
 * @param partitionKey the key to create the table with, for exports without our table description ({@code --partition-key})
 * @param sortKey the sort key to create the table with, if it has one ({@code --sort-key})
 * @param parallelism data files written at once ({@code --parallelism}, default 8)
 * @param checkpointEveryItems items written per data file between checkpoint saves; a resume reads back at most this many
 *                             (plus one batch) per unfinished file before writing
 */
public record RestoreRequest(String bucket, String exportId, Optional<String> prefix, String targetTable, boolean intoExisting,
                             Optional<Rate> rate, Set<String> stripAttributes, Optional<KeyAttribute> partitionKey,
                             Optional<KeyAttribute> sortKey, int parallelism, int checkpointEveryItems) {

    public static final int DEFAULT_PARALLELISM = 8;
    public static final int DEFAULT_CHECKPOINT_EVERY = 1000;

    public RestoreRequest {
        Options.bucket("--bucket", bucket);
        Options.exportId("--export", exportId);
        prefix = prefix.map(p -> Options.prefix("--prefix", p));
        Options.table("--target-table", targetTable);
        if (rate.isPresent() && rate.get().kind() != Rate.Kind.ITEMS_PER_SECOND) {
            throw BackupUsageException.of("--rate", "for a restore is items per second (e.g. 1000), not a share of capacity");
        }
        stripAttributes = Set.copyOf(new TreeSet<>(stripAttributes));
        for (String attribute : stripAttributes) {
            if (attribute.isBlank()) {
                throw BackupUsageException.of("--strip-attribute", "needs an attribute name");
            }
        }
        if (sortKey.isPresent() && partitionKey.isEmpty()) {
            throw BackupUsageException.of("--sort-key", "needs --partition-key too");
        }
        if (intoExisting && partitionKey.isPresent()) {
            throw BackupUsageException.of("--partition-key", "only applies when the restore creates the table, not with --into-existing");
        }
        if (partitionKey.isPresent() && sortKey.isPresent() && partitionKey.get().name().equals(sortKey.get().name())) {
            throw BackupUsageException.of("--sort-key", "must differ from --partition-key");
        }
        Options.atLeast("--parallelism", parallelism, 1, 256);
        Options.atLeast("--checkpoint-every", checkpointEveryItems, 25, 10_000_000);
    }

    public static Builder builder(String bucket, String exportId, String targetTable) {
        return new Builder(bucket, exportId, targetTable);
    }

    /** Builds a {@link RestoreRequest}; unset options keep their defaults. */
    public static final class Builder {
        private final String bucket;
        private final String exportId;
        private final String targetTable;
        private Optional<String> prefix = Optional.empty();
        private boolean intoExisting;
        private Optional<Rate> rate = Optional.empty();
        private final Set<String> strip = new TreeSet<>();
        private Optional<KeyAttribute> partitionKey = Optional.empty();
        private Optional<KeyAttribute> sortKey = Optional.empty();
        private int parallelism = DEFAULT_PARALLELISM;
        private int checkpointEvery = DEFAULT_CHECKPOINT_EVERY;

        private Builder(String bucket, String exportId, String targetTable) {
            this.bucket = bucket;
            this.exportId = exportId;
            this.targetTable = targetTable;
        }

        public Builder prefix(String value) {
            this.prefix = Optional.of(value);
            return this;
        }

        public Builder intoExisting(boolean value) {
            this.intoExisting = value;
            return this;
        }

        public Builder rate(Rate value) {
            this.rate = Optional.of(value);
            return this;
        }

        public Builder stripAttribute(String name) {
            this.strip.add(name);
            return this;
        }

        public Builder partitionKey(KeyAttribute value) {
            this.partitionKey = Optional.of(value);
            return this;
        }

        public Builder sortKey(KeyAttribute value) {
            this.sortKey = Optional.of(value);
            return this;
        }

        public Builder parallelism(int value) {
            this.parallelism = value;
            return this;
        }

        public Builder checkpointEveryItems(int value) {
            this.checkpointEvery = value;
            return this;
        }

        public RestoreRequest build() {
            return new RestoreRequest(bucket, exportId, prefix, targetTable, intoExisting, rate, strip, partitionKey, sortKey, parallelism,
                    checkpointEvery);
        }
    }

}
