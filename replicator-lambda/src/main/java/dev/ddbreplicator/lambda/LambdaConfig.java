package dev.ddbreplicator.lambda;

import dev.ddbreplicator.core.pair.Names;
import dev.ddbreplicator.core.pair.PairRegistry;
import dev.ddbreplicator.core.write.TombstoneTable;
import dev.ddbreplicator.core.write.WriterSettings;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The Lambda replicator's configuration, read once from environment variables at start-up and
 * checked here, so a bad deployment fails its init with one line that names the variable.
 *
 * @param region the function's region ({@code AWS_REGION}, set by Lambda); the dead-letter bucket's too
 * @param controlTable the control table holding the pairs and their status
 * @param controlRegion the control table's region
 * @param deadLetterBucket where poison events are written, under {@code <prefix>dlq/<pair>/}
 * @param deadLetterPrefix empty, or ending with {@code /}
 * @param metricsNamespace the CloudWatch namespace; empty when metrics are off
 * @param writerConcurrency keys written at once per pair
 * @param tombstoneTable the tombstone table in each replica region
 * @param pairCache how long the pairs read from the control table are reused
 */
public record LambdaConfig(String region, String controlTable, String controlRegion, String deadLetterBucket, String deadLetterPrefix,
                           Optional<String> metricsNamespace, int writerConcurrency, String tombstoneTable, Duration pairCache) {

    /** Set by Lambda itself, never by the template. */
    public static final String REGION = "AWS_REGION";
    public static final String CONTROL_TABLE = "CONTROL_TABLE";
    public static final String CONTROL_TABLE_REGION = "CONTROL_TABLE_REGION";
    public static final String DEAD_LETTER_BUCKET = "DEAD_LETTER_BUCKET";
    public static final String DEAD_LETTER_PREFIX = "DEAD_LETTER_PREFIX";
    public static final String METRICS_NAMESPACE = "METRICS_NAMESPACE";
    public static final String WRITER_CONCURRENCY = "WRITER_CONCURRENCY";
    public static final String TOMBSTONE_TABLE = "TOMBSTONE_TABLE";
    public static final String PAIR_CACHE_SECONDS = "PAIR_CACHE_SECONDS";

    /** The value of {@link #METRICS_NAMESPACE} that turns metrics off. */
    public static final String METRICS_OFF = "off";

    // CloudWatch: 1-255 characters, no leading colon, printable ASCII.
    private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9._/#:\\- ]{1,255}");
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    public LambdaConfig {
        check(REGION, () -> Names.region("region", region));
        check(CONTROL_TABLE, () -> Names.table("control table", controlTable));
        check(CONTROL_TABLE_REGION, () -> Names.region("control table region", controlRegion));
        check(TOMBSTONE_TABLE, () -> Names.table("tombstone table", tombstoneTable));
        if (deadLetterBucket == null || !BUCKET.matcher(deadLetterBucket).matches()) {
            throw new InvalidConfigurationException(DEAD_LETTER_BUCKET, "must name an S3 bucket (3-63 of a-z 0-9 . -)", deadLetterBucket);
        }
        if (deadLetterPrefix == null || !deadLetterPrefix.isEmpty() && (!deadLetterPrefix.endsWith("/") || deadLetterPrefix.startsWith("/"))) {
            throw new InvalidConfigurationException(DEAD_LETTER_PREFIX, "must be empty or end with '/' (and not start with it)", deadLetterPrefix);
        }
        metricsNamespace = metricsNamespace == null ? Optional.empty() : metricsNamespace;
        if (metricsNamespace.isPresent() && (!NAMESPACE.matcher(metricsNamespace.get()).matches() || metricsNamespace.get().startsWith(":"))) {
            throw new InvalidConfigurationException(METRICS_NAMESPACE, "must be a CloudWatch namespace, or '" + METRICS_OFF + "'",
                    metricsNamespace.get());
        }
        if (writerConcurrency < 1 || writerConcurrency > 1024) {
            throw new InvalidConfigurationException(WRITER_CONCURRENCY, "must be 1 to 1024", Integer.toString(writerConcurrency));
        }
        if (pairCache == null || pairCache.isNegative() || pairCache.compareTo(Duration.ofHours(1)) > 0) {
            throw new InvalidConfigurationException(PAIR_CACHE_SECONDS, "must be 0 to 3600 seconds",
                    pairCache == null ? "null" : Long.toString(pairCache.toSeconds()));
        }
    }

    /** Reads the configuration from the process environment. */
    public static LambdaConfig fromEnvironment() {
        return from(System::getenv);
    }

    /**
     * Reads the configuration from variables.
     *
     * @param env the value of a variable, null when it is not set
     * @throws InvalidConfigurationException naming the first variable that is missing or wrong
     */
    public static LambdaConfig from(Function<String, String> env) {
        String region = required(env, REGION);
        String controlTable = optional(env, CONTROL_TABLE).orElse(PairRegistry.DEFAULT_TABLE);
        String controlRegion = optional(env, CONTROL_TABLE_REGION).orElse(region);
        String bucket = required(env, DEAD_LETTER_BUCKET);
        String prefix = optional(env, DEAD_LETTER_PREFIX).orElse("");
        Optional<String> namespace = optional(env, METRICS_NAMESPACE)
                .filter(n -> !METRICS_OFF.equals(n.toLowerCase(Locale.ROOT)));
        int concurrency = integer(env, WRITER_CONCURRENCY, WriterSettings.DEFAULT_CONCURRENCY);
        String tombstones = optional(env, TOMBSTONE_TABLE).orElse(TombstoneTable.DEFAULT_NAME);
        Duration cache = Duration.ofSeconds(integer(env, PAIR_CACHE_SECONDS, (int) PairRegistry.DEFAULT_CACHE.toSeconds()));
        return new LambdaConfig(region, controlTable, controlRegion, bucket, prefix, namespace, concurrency, tombstones, cache);
    }

    private static String required(Function<String, String> env, String name) {
        return optional(env, name).orElseThrow(() -> new InvalidConfigurationException(name, "is required", null));
    }

    private static Optional<String> optional(Function<String, String> env, String name) {
        String value = env.apply(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    private static int integer(Function<String, String> env, String name, int fallback) {
        Optional<String> value = optional(env, name);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.get());
        } catch (NumberFormatException e) {
            throw new InvalidConfigurationException(name, "must be a whole number", value.get());
        }
    }

    private static void check(String variable, Runnable validation) {
        try {
            validation.run();
        } catch (InvalidConfigurationException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException(variable, e.getMessage());
        }
    }
}
