package dev.ddbreplicator.cli;

import dev.ddbreplicator.core.aws.ReplicaStores;
import dev.ddbreplicator.core.aws.ReplicatorSettings;
import dev.ddbreplicator.core.model.ItemKey;
import dev.ddbreplicator.core.pair.TablePair;
import dev.ddbreplicator.core.retry.Retrier;
import dev.ddbreplicator.core.retry.RetryPolicy;
import dev.ddbreplicator.core.verify.RepairResult;
import dev.ddbreplicator.core.verify.ReplicaRepairer;
import dev.ddbreplicator.core.verify.TableVerifier;
import dev.ddbreplicator.core.verify.VerifyReport;
import dev.ddbreplicator.core.verify.VerifySettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** {@code verify --pair ID [--repair]}: are source and replica the same? */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Compare the source and replica tables item by item (ignoring the version attribute).",
                "An item that differs is read again, strongly consistent, a few times a second apart before it counts: it may be in flight.",
                "Exit 0 when equal; 1 with counts and example keys of missing, extra and different items.",
                "--repair rewrites the differences from the source, each conditional on the replica item being unchanged, "
                        + "so it never overwrites a newer replicated change."})
final class VerifyCommand extends Verb {

    @Option(names = "--pair", required = true, paramLabel = "ID") String pairId;
    @Option(names = "--segments", paramLabel = "N", defaultValue = "4", description = "Parallel scan segments per table (default: ${DEFAULT-VALUE}).")
    int segments;
    @Option(names = "--repair", description = "Rewrite what differs from the source, then verify again.")
    boolean repair;

    @Override
    protected Result execute(Environment env) throws InterruptedException {
        VerifySettings settings;
        try {
            settings = VerifySettings.defaults().withSegments(segments);
        } catch (IllegalArgumentException e) {
            throw CliException.badRequest(e.getMessage());
        }
        TablePair pair = env.pair(pairId);
        DynamoDbClient source = env.dynamoDb(pair.sourceRegion());
        DynamoDbClient replica = env.clients().dynamoDb(pair.replicaRegion(), pair.replicaRoleArn());
        Tables.require(source, pair.sourceTable(), pair.sourceRegion(), "source");
        Tables.require(replica, pair.replicaTable(), pair.replicaRegion(), "replica");

        VerifyReport report = verify(env, pair, source, replica, settings);
        Map<String, Object> data = data(pair, report);
        if (report.isEqual()) {
            return Result.success(String.format(Locale.ROOT, "%s: source and replica are equal (%,d items)", pair.id(), report.sourceItems()), data);
        }
        if (!repair) {
            return Result.failed(pair.id() + ": replica differs: " + summary(report) + "; 'verify --repair' rewrites them from the source",
                    data, details(report));
        }
        RepairResult repaired = new ReplicaRepairer(source, pair.sourceTable(), replica, pair.replicaTable(), pair.versionAttribute(),
                ReplicaStores.forPair(env.clients(), ReplicatorSettings.defaults(), pair, env.clock()), new Retrier(RetryPolicy.CONTROL))
                .repair(report);
        VerifyReport after = verify(env, pair, source, replica, settings);
        Map<String, Object> repairData = new LinkedHashMap<>();
        repairData.put("repaired", repaired.repaired());
        repairData.put("settled", repaired.settled());
        repairData.put("refused", repaired.refused());
        repairData.put("refusedExamples", repaired.refusedExamples().stream().map(ItemKey::toString).toList());
        data.put("repair", repairData);
        data.put("after", data(pair, after));
        String did = "repaired " + repaired.repaired() + " of " + (report.missing() + report.extra() + report.different()) + " differences";
        if (after.isEqual()) {
            return Result.success(String.format(Locale.ROOT, "%s: %s; source and replica are now equal (%,d items)", pair.id(), did,
                    after.sourceItems()), data);
        }
        return Result.failed(pair.id() + ": " + did + ", still different: " + summary(after)
                + (repaired.refused() > 0 ? " (" + repaired.refused() + " left alone: changed meanwhile or deleted on record, so the "
                        + "replicator is on them, or items the replica cannot hold: over 400 KB with the version, or with an attribute named '"
                        + pair.versionAttribute() + "')" : ""),
                data, details(report) + "after repair:\n" + details(after));
    }

    @SuppressWarnings("try") // the progress line only has to stop when the work does
    private static VerifyReport verify(Environment env, TablePair pair, DynamoDbClient source, DynamoDbClient replica, VerifySettings settings)
            throws InterruptedException {
        TableVerifier verifier = new TableVerifier(source, pair.sourceTable(), replica, pair.replicaTable(), pair.versionAttribute(), settings,
                new Retrier(RetryPolicy.CONTROL));
        try (Progress progress = Progress.start(env.output(), Progress.counter("verify", "items", verifier::scanned, 0))) {
            return verifier.verify();
        }
    }

    private static String summary(VerifyReport report) {
        return report.missing() + " missing, " + report.extra() + " extra, " + report.different() + " different"
                + firstExample(report);
    }

    private static String firstExample(VerifyReport report) {
        if (!report.missingKeys().isEmpty()) {
            return " (e.g. missing " + report.missingKeys().get(0) + ")";
        }
        if (!report.differentKeys().isEmpty()) {
            return " (e.g. different " + report.differentKeys().get(0) + ")";
        }
        return report.extraKeys().isEmpty() ? "" : " (e.g. extra " + report.extraKeys().get(0) + ")";
    }

    private static String details(VerifyReport report) {
        return String.format(Locale.ROOT, "source items:  %,d%nreplica items: %,d%nmissing:   %,d %s%nextra:     %,d %s%ndifferent: %,d %s%n"
                        + "settled on recheck (in flight): %,d%n",
                report.sourceItems(), report.replicaItems(), report.missing(), keys(report.missingExamples()), report.extra(),
                keys(report.extraExamples()), report.different(), keys(report.differentExamples()), report.settled());
    }

    private static String keys(List<ItemKey> keys) {
        return keys.isEmpty() ? "" : keys.toString();
    }

    static Map<String, Object> data(TablePair pair, VerifyReport report) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("pair", pair.id());
        data.put("equal", report.isEqual());
        data.put("sourceItems", report.sourceItems());
        data.put("replicaItems", report.replicaItems());
        data.put("missing", report.missing());
        data.put("extra", report.extra());
        data.put("different", report.different());
        data.put("settledOnRecheck", report.settled());
        data.put("missingExamples", report.missingExamples().stream().map(ItemKey::toString).toList());
        data.put("extraExamples", report.extraExamples().stream().map(ItemKey::toString).toList());
        data.put("differentExamples", report.differentExamples().stream().map(ItemKey::toString).toList());
        return data;
    }
}
