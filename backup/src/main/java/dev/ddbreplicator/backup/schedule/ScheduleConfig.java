package dev.ddbreplicator.backup.schedule;

import dev.ddbreplicator.backup.BackupRequest;
import dev.ddbreplicator.backup.BackupUsageException;
import dev.ddbreplicator.backup.Encryption;
import dev.ddbreplicator.backup.Rate;
import dev.ddbreplicator.backup.Retention;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the scheduled backup does on each run, read once from the function's environment and
 * validated; the schedule's event input may override any of it. A bad value fails the cold start
 * with a one-line message naming the variable.
 *
 * @param region the region of the tables and the bucket ({@code AWS_REGION}, set by Lambda)
 * @param bucket {@value #BUCKET}
 * @param prefix {@value #PREFIX} (default {@code backups})
 * @param tables {@value #TABLES}: comma-separated table names; may be empty when every schedule's input names them
 * @param segments {@value #SEGMENTS}: Scan segments; empty picks them from the table's size
 * @param rate {@value #RATE}: {@code 500} items/s or {@code 25%} of provisioned read capacity
 * @param retention {@value #KEEP} (newest N per table) or {@value #OLDER_THAN} (e.g. {@code 30d}); empty keeps all
 * @param encryption {@value #KMS_KEY_ID}: a KMS key for SSE-KMS; empty means SSE-S3
 */
public record ScheduleConfig(String region, String bucket, String prefix, List<String> tables, OptionalInt segments, Optional<Rate> rate,
                             Optional<Retention> retention, Encryption encryption) {

    public static final String REGION = "AWS_REGION";
    public static final String BUCKET = "BACKUP_BUCKET";
    public static final String PREFIX = "BACKUP_PREFIX";
    public static final String TABLES = "BACKUP_TABLES";
    public static final String SEGMENTS = "BACKUP_SEGMENTS";
    public static final String RATE = "BACKUP_RATE";
    public static final String KEEP = "BACKUP_KEEP";
    public static final String OLDER_THAN = "BACKUP_OLDER_THAN";
    public static final String KMS_KEY_ID = "BACKUP_KMS_KEY_ID";

    /** Every variable the function reads, for the deployment template. */
    public static final List<String> VARIABLES = List.of(BUCKET, PREFIX, TABLES, SEGMENTS, RATE, KEEP, OLDER_THAN, KMS_KEY_ID);

    public ScheduleConfig {
        tables = List.copyOf(tables);
        if (region == null || region.isBlank()) {
            throw new IllegalArgumentException(REGION + " is not set");
        }
        // Each table's request is built once here so that a bad value fails now, not at 3 a.m.
        for (String table : tables.isEmpty() ? List.of("placeholder") : tables) {
            build(table, bucket, prefix, segments, rate, encryption);
        }
    }

    /** The backup of one table. */
    public BackupRequest request(String table) {
        return build(table, bucket, prefix, segments, rate, encryption);
    }

    private static BackupRequest build(String table, String bucket, String prefix, OptionalInt segments, Optional<Rate> rate,
                                       Encryption encryption) {
        try {
            BackupRequest.Builder request = BackupRequest.builder(table, bucket).prefix(prefix).encryption(encryption);
            segments.ifPresent(request::segments);
            rate.ifPresent(request::rate);
            return request.build();
        } catch (BackupUsageException e) {
            throw renamed(e, Map.of("--table", TABLES, "--bucket", BUCKET, "--prefix", PREFIX, "--segments", SEGMENTS, "--rate", RATE,
                    "--kms-key", KMS_KEY_ID).getOrDefault(e.option(), "configuration"));
        }
    }

    /**
     * Reads the configuration from environment variables.
     *
     * @throws IllegalArgumentException naming the variable whose value is bad or missing
     */
    public static ScheduleConfig fromEnv(Map<String, String> env) {
        String region = env.getOrDefault(REGION, "");
        String bucket = value(env, BUCKET).orElseThrow(() -> new IllegalArgumentException(BUCKET + " is not set: name the backup bucket"));
        List<String> tables = value(env, TABLES).map(ScheduleConfig::tableList).orElse(List.of());
        return new ScheduleConfig(region, bucket, value(env, PREFIX).orElse(BackupRequest.DEFAULT_PREFIX),
                tables.isEmpty() ? List.of() : tables,
                integer(env, SEGMENTS),
                value(env, RATE).map(r -> check(RATE, () -> Rate.parse(r))),
                retention(value(env, KEEP), value(env, OLDER_THAN), KEEP, OLDER_THAN),
                value(env, KMS_KEY_ID).map(Encryption::kms).orElse(Encryption.sseS3()));
    }

    /** Table names from {@code a,b , c}. */
    public static List<String> tableList(String text) {
        return Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty()).distinct().toList();
    }

    static Optional<Retention> retention(Optional<String> keep, Optional<String> olderThan, String keepName, String olderThanName) {
        if (keep.isPresent() && olderThan.isPresent()) {
            throw new IllegalArgumentException(keepName + " and " + olderThanName + " are both set: give one retention rule");
        }
        if (keep.isPresent()) {
            return Optional.of(check(keepName, () -> Retention.keep(parseInt(keepName, keep.get()))));
        }
        return olderThan.map(age -> check(olderThanName, () -> Retention.olderThan(age)));
    }

    static int parseInt(String name, String text) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + text + "'");
        }
    }

    /** Runs a check and renames the option in its message to the variable it came from. */
    static <T> T check(String variable, java.util.function.Supplier<T> check) {
        try {
            return check.get();
        } catch (BackupUsageException e) {
            throw renamed(e, variable);
        }
    }

    private static IllegalArgumentException renamed(BackupUsageException e, String variable) {
        String message = e.getMessage();
        String rest = !e.option().isEmpty() && message.startsWith(e.option() + " ") ? message.substring(e.option().length() + 1) : message;
        return new IllegalArgumentException(variable + ": " + rest, e);
    }

    private static OptionalInt integer(Map<String, String> env, String name) {
        Optional<String> text = value(env, name);
        return text.isEmpty() ? OptionalInt.empty() : OptionalInt.of(parseInt(name, text.get()));
    }

    private static Optional<String> value(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }
}
