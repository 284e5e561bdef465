package dev.ddbreplicator.cli;

import dev.ddbreplicator.core.pair.TablePair;
import dev.ddbreplicator.core.status.PairStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/** {@code status --pair ID}: where replication of a pair stands. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show a pair's state (BACKFILLING or ACTIVE), last applied sequence number, lag, counts of applied, stale, "
                + "skipped and poison changes (summed over every replicator), and the number of dead letters (with --bucket)."})
final class StatusCommand extends Verb {

    @Option(names = "--pair", required = true, paramLabel = "ID") String pairId;
    @Mixin DlqOptions dlq = new DlqOptions();

    @Override
    protected Result execute(Environment env) {
        TablePair pair = env.pair(pairId);
        PairStatus status = env.statusStore().read(pairId);
        Optional<Long> deadLetters = dlq.bucket(env).map(bucket -> countLetters(env, bucket));
        Instant now = env.clock().instant();

        Map<String, Object> data = new LinkedHashMap<>();
        data.put("pair", pair.id());
        data.put("state", pair.state().name());
        data.put("source", pair.sourceTable() + "@" + pair.sourceRegion());
        data.put("replica", pair.replicaTable() + "@" + pair.replicaRegion());
        data.put("lastSequenceNumber", status.lastSequenceNumber().orElse(null));
        data.put("lagMillis", status.lagMillis() < 0 ? null : status.lagMillis());
        data.put("reportedAt", status.updatedAt().map(Instant::toString).orElse(null));
        data.put("reportedSecondsAgo", status.updatedAt().map(t -> Duration.between(t, now).toSeconds()).orElse(null));
        data.put("applied", status.applied());
        data.put("stale", status.stale());
        data.put("skipped", status.skipped());
        data.put("poison", status.poison());
        data.put("retried", status.retried());
        data.put("deadLetters", deadLetters.orElse(null));

        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("pair", pair.toString()));
        rows.add(List.of("state", pair.state() + (pair.state().name().equals("BACKFILLING") ? " (run 'backfill --pair " + pair.id() + "')" : "")));
        rows.add(List.of("last applied", status.lastSequenceNumber().orElse("nothing reported yet")));
        rows.add(List.of("lag", status.lagMillis() < 0 ? "-" : status.lagMillis() + " ms"
                + status.updatedAt().map(t -> " (reported " + Progress.duration(Duration.between(t, now).toSeconds()) + " ago)").orElse("")));
        rows.add(List.of("applied", Long.toString(status.applied())));
        rows.add(List.of("stale", Long.toString(status.stale())));
        rows.add(List.of("skipped", Long.toString(status.skipped())));
        rows.add(List.of("poison", Long.toString(status.poison())));
        rows.add(List.of("retried writes", Long.toString(status.retried())));
        rows.add(List.of("dead letters", deadLetters.map(String::valueOf).orElse("unknown (pass --bucket)")));
        String message = pair.id() + ": " + pair.state() + ", applied " + status.applied() + ", lag "
                + (status.lagMillis() < 0 ? "-" : status.lagMillis() + " ms");
        return Result.success(message, data, TextTable.render(rows));
    }

    private long countLetters(Environment env, String bucket) {
        AtomicLong count = new AtomicLong();
        try {
            env.clients().s3(env.region()).listObjectsV2Paginator(b -> b.bucket(bucket).prefix(dlq.pairPrefix(pairId)))
                    .contents().forEach(o -> count.incrementAndGet());
        } catch (NoSuchBucketException e) {
            throw CliException.notFound("dead-letter bucket '" + bucket + "' does not exist");
        }
        return count.get();
    }
}
