package dev.ddbreplicator.kcl.config;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every setting of the worker. Each one is a flag ({@code --name VALUE}) and a key of the same
 * name in the configuration file; a flag wins over the file. This list drives parsing, the check
 * for unknown keys, and {@code --help}, so the three never disagree.
 */
public enum Option {

    CONFIG("config", "FILE", "Read settings from FILE (Java properties: 'key = value' or 'key: value' lines, so a flat"
            + " YAML file of scalars reads too). Flags override the file.", "none"),
    PAIR("pair", "ID", "The registered pair to replicate (see 'ddb-replicator pairs list'). With the four table/region"
            + " settings below instead, the pair is given explicitly and ID only names it.", "none"),
    SOURCE_TABLE("source-table", "TABLE", "Source table, when the pair is given explicitly.", "none"),
    SOURCE_REGION("source-region", "REGION", "Source table's region, when the pair is given explicitly.", "none"),
    REPLICA_TABLE("replica-table", "TABLE", "Replica table, when the pair is given explicitly.", "none"),
    REPLICA_REGION("replica-region", "REGION", "Replica table's region, when the pair is given explicitly.", "none"),
    REPLICA_ROLE_ARN("replica-role-arn", "ARN", "Role to assume to write a replica in another account (explicit pair only;"
            + " a registered pair carries its own).", "none"),
    REGION("region", "REGION", "Region of the control table (pairs and status). Defaults to $AWS_REGION, then to the"
            + " source region of an explicit pair.", "$AWS_REGION"),
    CONTROL_TABLE("control-table", "TABLE", "Name of the control table.", "ddb-replicator-pairs"),
    APPLICATION_NAME("application-name", "NAME", "KCL application name: the lease table and the group of workers that share"
            + " the shards. Every host of one pair must use the same name.", "ddb-replicator-<pair id>"),
    INITIAL_POSITION("initial-position", "TRIM_HORIZON|LATEST", "Where a shard without a checkpoint starts. TRIM_HORIZON"
            + " replays the last 24 hours (safe: replays are idempotent); LATEST skips what is already in the stream.",
            "TRIM_HORIZON"),
    MAX_RECORDS("max-records", "N", "Most records read per poll of one shard (1-1000).", "1000"),
    POLL_INTERVAL("poll-interval", "DURATION", "Least time between two polls of a shard; after a poll that found nothing,"
            + " twice that. Bounds replication lag and a shard's rate (max-records per interval), e.g. 250ms, 1s (100ms-60s).",
            "250ms"),
    WRITER_CONCURRENCY("writer-concurrency", "N", "Replica keys written at once (1-1024).", "32"),
    HEALTH_PORT("health-port", "PORT", "Port of the HTTP endpoints /health, /ready and /metrics (0 picks a free one).", "8080"),
    HEALTH_MAX_SILENCE("health-max-silence", "DURATION", "/health answers 503 when a shard this worker holds has had no"
            + " successful poll or write for this long.", "60s"),
    METRICS("metrics", "off|cloudwatch:NAMESPACE", "Also publish the metrics (and KCL's own, at summary level) to"
            + " CloudWatch under NAMESPACE. /metrics (Prometheus text) is always on.", "off"),
    ENDPOINT("endpoint", "REGION=URL", "Send DynamoDB and DynamoDB Streams calls for REGION to URL (local stand-ins such as"
            + " DynamoDB Local; fixed dummy credentials are then used). Repeatable; in the file, a comma-separated list.",
            "none"),
    S3_ENDPOINT("s3-endpoint", "URL", "Send S3 calls (dead letters) to URL, path-style (an S3-compatible local server).", "none"),
    DEAD_LETTER_BUCKET("dead-letter-bucket", "BUCKET", "S3 bucket for records that can never be written (required): each goes"
            + " whole to dlq/<pair id>/<sequence>.json and replication goes on.", "none"),
    DEAD_LETTER_PREFIX("dead-letter-prefix", "PREFIX", "Key prefix before dlq/ (empty, or ending with '/').", "empty"),
    DEAD_LETTER_REGION("dead-letter-region", "REGION", "Region of the dead-letter bucket.", "the control table's region"),
    LEASE_FAILOVER("lease-failover", "DURATION", "How long a lease may go unrenewed before another worker takes it over"
            + " (a crashed host's shards move after this).", "10s"),
    WORKER_ID("worker-id", "ID", "This worker's name in the lease table; unique per process. Kept across restarts, so a"
            + " restarted worker takes its own leases back at once. Set it when running several workers on one host.",
            "the host name"),
    SHUTDOWN_TIMEOUT("shutdown-timeout", "DURATION", "On SIGTERM, how long to wait for the batches in flight to finish and"
            + " checkpoint before stopping anyway.", "60s");

    private final String key;
    private final String placeholder;
    private final String help;
    private final String defaultText;

    Option(String key, String placeholder, String help, String defaultText) {
        this.key = key;
        this.placeholder = placeholder;
        this.help = help;
        this.defaultText = defaultText;
    }

    /** The file key, and the flag without its leading dashes. */
    public String key() {
        return key;
    }

    public String placeholder() {
        return placeholder;
    }

    public String help() {
        return help;
    }

    public String defaultText() {
        return defaultText;
    }

    /** Whether the setting may be given several times (as flags) or as a list (in the file). */
    public boolean repeatable() {
        return this == ENDPOINT;
    }

    public static Optional<Option> byKey(String key) {
        return Arrays.stream(values()).filter(o -> o.key.equals(key)).findFirst();
    }
}
