package dev.ddbreplicator.cli;

import dev.ddbreplicator.core.deadletter.DeadLetter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/** {@code dlq list --pair ID}: a pair's dead letters, oldest first. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List a pair's dead letters: sequence, kind, key, reason.")
final class DlqListCommand extends Verb {

    @Option(names = "--pair", required = true, paramLabel = "ID") String pairId;
    @Mixin DlqOptions dlq = new DlqOptions();

    @Override
    protected Result execute(Environment env) {
        env.pair(pairId);
        List<DeadLetter> letters = letters(env, dlq, pairId);
        List<Map<String, Object>> rows = new ArrayList<>();
        List<List<String>> table = new ArrayList<>();
        table.add(List.of("SEQUENCE", "KIND", "KEY", "FAILED AT", "REASON"));
        for (DeadLetter letter : letters) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("sequenceNumber", letter.event().sequenceNumber());
            row.put("kind", letter.event().kind().name());
            row.put("key", letter.event().keys().toString());
            row.put("failedAt", letter.failedAt().toString());
            row.put("reason", letter.reason());
            rows.add(row);
            table.add(List.of(letter.event().sequenceNumber(), letter.event().kind().name(), letter.event().keys().toString(),
                    letter.failedAt().toString(), letter.reason()));
        }
        String message = letters.size() + " dead letters for pair '" + pairId + "' in s3://" + dlq.requireBucket(env) + "/" + dlq.pairPrefix(pairId);
        return Result.success(message, Map.of("pair", pairId, "letters", rows), (letters.isEmpty() ? "" : TextTable.render(table)) + message);
    }

    static List<DeadLetter> letters(Environment env, DlqOptions dlq, String pairId) {
        try {
            return dlq.store(env).list(pairId);
        } catch (NoSuchBucketException e) {
            throw CliException.notFound("dead-letter bucket '" + dlq.requireBucket(env) + "' does not exist");
        }
    }
}
