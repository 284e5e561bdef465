package dev.ddbreplicator.cli;

import dev.ddbreplicator.core.deadletter.S3DeadLetterStore;
import dev.ddbreplicator.core.retry.Retrier;
import dev.ddbreplicator.core.retry.RetryPolicy;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Where a pair's dead letters are: {@code s3://<bucket>/<prefix>dlq/<pair-id>/<sequence>.json}. */
final class DlqOptions {

    static final String BUCKET_VARIABLE = "DDB_REPLICATOR_DLQ_BUCKET";

    @Option(names = "--bucket", paramLabel = "B", description = "Dead-letter bucket (default: $" + BUCKET_VARIABLE + ").")
    String bucket;

    @Option(names = "--prefix", paramLabel = "P", defaultValue = "", description = "Key prefix before dlq/ (empty, or ending with /).")
    String prefix;

    Optional<String> bucket(Environment env) {
        String chosen = bucket != null ? bucket : env.variables().get(BUCKET_VARIABLE);
        return Optional.ofNullable(chosen).filter(b -> !b.isBlank());
    }

    String requireBucket(Environment env) {
        return bucket(env).orElseThrow(() -> CliException.badRequest("no dead-letter bucket: pass --bucket or set " + BUCKET_VARIABLE));
    }

    S3DeadLetterStore store(Environment env) {
        try {
            return new S3DeadLetterStore(env.clients().s3(env.region()), requireBucket(env), prefix, new Retrier(RetryPolicy.CONTROL));
        } catch (IllegalArgumentException e) {
            throw CliException.badRequest(e.getMessage());
        }
    }

    /** The object prefix of a pair's letters. */
    String pairPrefix(String pairId) {
        return prefix + "dlq/" + pairId + "/";
    }
}
