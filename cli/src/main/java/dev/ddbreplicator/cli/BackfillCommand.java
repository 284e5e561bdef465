package dev.ddbreplicator.cli;

import dev.ddbreplicator.core.aws.ReplicaStores;
import dev.ddbreplicator.core.aws.ReplicatorSettings;
import dev.ddbreplicator.core.backfill.BackfillResult;
import dev.ddbreplicator.core.backfill.BackfillSettings;
import dev.ddbreplicator.core.backfill.Backfiller;
import dev.ddbreplicator.core.backfill.PageHook;
import dev.ddbreplicator.core.pair.PairRegistry;
import dev.ddbreplicator.core.pair.PairState;
import dev.ddbreplicator.core.pair.TablePair;
import dev.ddbreplicator.core.retry.Retrier;
import dev.ddbreplicator.core.retry.RetryPolicy;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/** {@code backfill --pair ID}: copies the items the source already has, with no gap and no resurrection. */
@Command(name = "backfill", mixinStandardHelpOptions = true,
        description = {"Copy the items the source table already has into the replica, while writes go on.",
                "Run a replicator for the pair FIRST: it must consume the stream from before the scan starts, so every change "
                        + "after an item was scanned reaches the replica through the stream.",
                "Each copy lands only if the replica has no version of the item and no delete of it is on record, so a "
                        + "replicated change always wins and an item deleted meanwhile never comes back. Safe to run again.",
                "The pair is BACKFILLING while it runs and ACTIVE when every item was copied."})
final class BackfillCommand extends Verb {

    @Option(names = "--pair", required = true, paramLabel = "ID") String pairId;
    @Option(names = "--segments", paramLabel = "N", defaultValue = "4", description = "Parallel scan segments (default: ${DEFAULT-VALUE}).")
    int segments;
    @Option(names = "--rate", paramLabel = "ITEMS_PER_S", defaultValue = "0",
            description = "Read and write at most this many items a second (default: no limit).")
    double rate;

    /** Tests set this to hold a scanned page back while they change the source. */
    PageHook hook = PageHook.NONE;

    @Override
    @SuppressWarnings("try") // the progress line only has to stop when the work does
    protected Result execute(Environment env) throws InterruptedException {
        BackfillSettings settings;
        try {
            settings = BackfillSettings.defaults().withSegments(segments).withRate(rate);
        } catch (IllegalArgumentException e) {
            throw CliException.badRequest(e.getMessage());
        }
        TablePair pair = env.pair(pairId);
        TableDescription source = Tables.require(env.dynamoDb(pair.sourceRegion()), pair.sourceTable(), pair.sourceRegion(), "source");
        Tables.requireReplicationStream(source, pair.sourceRegion());
        Tables.require(env.clients().dynamoDb(pair.replicaRegion(), pair.replicaRoleArn()), pair.replicaTable(), pair.replicaRegion(), "replica");

        PairRegistry registry = env.registry();
        if (pair.state() != PairState.BACKFILLING) {
            registry.update(pair.withState(PairState.BACKFILLING, env.clock().instant()));
        }
        env.output().progress().println("backfill of " + pair + ": copying existing items; the replicator must already be running");
        Backfiller backfiller = new Backfiller(env.dynamoDb(pair.sourceRegion()), pair.sourceTable(),
                ReplicaStores.forPair(env.clients(), ReplicatorSettings.defaults(), pair, env.clock()), pair.versionAttribute(), settings,
                new Retrier(RetryPolicy.WRITE), hook);
        long estimate = source.itemCount() == null ? 0 : source.itemCount();
        BackfillResult result;
        try (Progress progress = Progress.start(env.output(), Progress.counter("backfill", "items", () -> backfiller.progress().scanned(), estimate))) {
            result = backfiller.run();
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("pair", pair.id());
        data.put("scanned", result.scanned());
        data.put("written", result.written());
        data.put("skipped", result.skipped());
        data.put("failed", result.failed());
        data.put("failedExamples", result.failedExamples().stream().map(Object::toString).toList());
        data.put("seconds", result.took().toMillis() / 1000.0);
        String counts = String.format(Locale.ROOT, "scanned %,d, copied %,d, already there or deleted meanwhile %,d in %.1fs",
                result.scanned(), result.written(), result.skipped(), result.took().toMillis() / 1000.0);
        if (!result.isComplete()) {
            data.put("state", PairState.BACKFILLING.name());
            return Result.failed(result.failed() + " items could not be copied (over 400 KB once the version attribute is added), e.g. "
                    + result.failedExamples() + "; pair stays BACKFILLING", data, "backfill of " + pair.id() + ": " + counts);
        }
        registry.update(env.pair(pairId).withState(PairState.ACTIVE, env.clock().instant()));
        data.put("state", PairState.ACTIVE.name());
        return Result.success("backfill of " + pair.id() + " done: " + counts + "; pair is ACTIVE", data);
    }
}
