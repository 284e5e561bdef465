package dev.ddbreplicator.cli;

import dev.ddbreplicator.core.aws.ReplicatorSettings;
import dev.ddbreplicator.core.aws.Replicators;
import dev.ddbreplicator.core.deadletter.DeadLetter;
import dev.ddbreplicator.core.deadletter.S3DeadLetterStore;
import dev.ddbreplicator.core.model.ChangeEvent;
import dev.ddbreplicator.core.pair.TablePair;
import dev.ddbreplicator.core.write.BatchResult;
import dev.ddbreplicator.core.write.EventOutcome;
import dev.ddbreplicator.core.write.PairReplicator;
import dev.ddbreplicator.core.write.WriteOutcome;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code dlq replay --pair ID}: writes the dead letters again, through the same versioned writer. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Write a pair's dead letters to the replica again, through the same versioned writer as the replicators "
                + "(so a letter older than the replica's item changes nothing).",
                "A letter is removed once written or found stale; one that still cannot be written stays. Exit 1 if any stay."})
final class DlqReplayCommand extends Verb {

    @Option(names = "--pair", required = true, paramLabel = "ID") String pairId;
    @Mixin DlqOptions dlq = new DlqOptions();

    @Override
    protected Result execute(Environment env) {
        TablePair pair = env.pair(pairId);
        List<DeadLetter> letters = DlqListCommand.letters(env, dlq, pairId);
        if (letters.isEmpty()) {
            return Result.skipped("no dead letters for pair '" + pairId + "'", Map.of("pair", pairId, "replayed", 0, "remaining", 0));
        }
        S3DeadLetterStore store = dlq.store(env);
        List<ChangeEvent> events = letters.stream().map(DeadLetter::event)
                .sorted(Comparator.comparing((ChangeEvent e) -> e.sequenceNumber().length()).thenComparing(ChangeEvent::sequenceNumber))
                .toList();
        Replicators replicators = new Replicators(env.clients(), ReplicatorSettings.defaults(), store, new SimpleMeterRegistry(), env.clock(),
                Optional.of(env.statusStore()));
        long replayed = 0;
        long remaining = 0;
        try (PairReplicator replicator = replicators.create(pair)) {
            BatchResult result = replicator.apply(events);
            for (EventOutcome outcome : result.outcomes()) {
                if (outcome.outcome() == WriteOutcome.POISON || outcome.outcome() == WriteOutcome.RETRYABLE_FAILURE) {
                    remaining++;
                } else {
                    store.delete(pairId, outcome.event().sequenceNumber());
                    replayed++;
                }
            }
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("pair", pairId);
        data.put("replayed", replayed);
        data.put("remaining", remaining);
        if (remaining > 0) {
            return Result.failed(remaining + " of " + letters.size() + " dead letters still cannot be written; see 'dlq list --pair " + pairId
                    + "' for why", data, "replayed " + replayed + " dead letters");
        }
        return Result.success("replayed " + replayed + " dead letters of pair '" + pairId + "'; none left", data);
    }
}
