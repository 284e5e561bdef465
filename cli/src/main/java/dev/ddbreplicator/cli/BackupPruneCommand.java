package dev.ddbreplicator.cli;

import dev.ddbreplicator.backup.BackupCatalog;
import dev.ddbreplicator.backup.BackupFailedException;
import dev.ddbreplicator.backup.PruneRequest;
import dev.ddbreplicator.backup.PruneResult;
import dev.ddbreplicator.backup.Retention;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code backup prune --bucket B --keep N | --older-than 30d}: applies the retention. */
@Command(name = "prune", mixinStandardHelpOptions = true,
        description = {"Delete old backups: keep the newest N of each table (--keep N), or delete those older than an age "
                + "(--older-than 30d, 12h, 90m). The newest finished backup of a table is never deleted. Unfinished backups older "
                + "than two days go too. --dry-run shows what would go."})
final class BackupPruneCommand extends Verb {

    @Option(names = "--bucket", required = true, paramLabel = "B") String bucket;
    @Option(names = "--prefix", paramLabel = "P", defaultValue = "", description = "Where to look (default: the whole bucket).")
    String prefix;
    @Option(names = "--table", paramLabel = "T", description = "Only this table's backups.") String table;
    @Option(names = "--dry-run", description = "Delete nothing; say what would be deleted.") boolean dryRun;
    @Mixin BucketOwnerOption owner = new BucketOwnerOption();

    @ArgGroup(exclusive = true, multiplicity = "1")
    Keep keep;

    /** Exactly one retention rule. */
    static final class Keep {
        @Option(names = "--keep", paramLabel = "N", description = "Keep the newest N backups of each table.") Integer newest;
        @Option(names = "--older-than", paramLabel = "AGE", description = "Delete backups older than AGE (e.g. 30d).") String age;
    }

    @Override
    protected Result execute(Environment env) {
        Retention retention = keep.newest != null ? Retention.keep(keep.newest) : Retention.olderThan(keep.age);
        PruneResult result;
        try {
            result = new BackupCatalog(owner.s3(env, env.region()), env.clock()).prune(new PruneRequest(bucket, prefix,
                    Optional.ofNullable(table), retention, dryRun, PruneRequest.DEFAULT_INCOMPLETE_AFTER));
        } catch (BackupFailedException e) {
            throw CliException.failed(e.getMessage());
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("dryRun", result.dryRun());
        data.put("deleted", result.deleted().stream().map(BackupListCommand::data).toList());
        data.put("kept", result.kept().stream().map(BackupListCommand::data).toList());
        data.put("objectsDeleted", result.objectsDeleted());
        StringBuilder text = new StringBuilder();
        result.deleted().forEach(e -> text.append(dryRun ? "would delete " : "deleted ").append(e.describe()).append('\n'));
        String message = (dryRun ? "would delete " : "deleted ") + result.deleted().size() + " backups, kept " + result.kept().size()
                + (dryRun ? " (dry run: nothing deleted)" : " (" + result.objectsDeleted() + " objects)");
        if (result.deleted().isEmpty() && !dryRun) {
            return Result.skipped("nothing to prune: kept " + result.kept().size() + " backups", data);
        }
        return Result.success(message, data, text + message);
    }
}
