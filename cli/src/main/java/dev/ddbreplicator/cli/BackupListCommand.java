package dev.ddbreplicator.cli;

import dev.ddbreplicator.backup.BackupCatalog;
import dev.ddbreplicator.backup.BackupEntry;
import dev.ddbreplicator.backup.BackupFailedException;
import dev.ddbreplicator.backup.ListRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code backup list --bucket B [--table T]}: the exports in a bucket, by table, newest first. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List the backups (ours and native exports) in a bucket, by table, newest first: export ID, status, table, start, items.")
final class BackupListCommand extends Verb {

    @Option(names = "--bucket", required = true, paramLabel = "B") String bucket;
    @Option(names = "--prefix", paramLabel = "P", defaultValue = "", description = "Where to look (default: the whole bucket).")
    String prefix;
    @Option(names = "--table", paramLabel = "T", description = "Only this table's backups.") String table;
    @Mixin BucketOwnerOption owner = new BucketOwnerOption();

    @Override
    protected Result execute(Environment env) {
        List<BackupEntry> entries;
        try {
            entries = new BackupCatalog(owner.s3(env, env.region()), env.clock()).list(new ListRequest(bucket, prefix, Optional.ofNullable(table)));
        } catch (BackupFailedException e) {
            throw CliException.failed(e.getMessage());
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        List<List<String>> text = new ArrayList<>();
        text.add(List.of("EXPORT", "STATUS", "TABLE", "STARTED", "ITEMS"));
        for (BackupEntry entry : entries) {
            rows.add(data(entry));
            text.add(List.of(entry.exportId(), entry.status().name(), entry.tableName().orElse("?"), entry.startTime().toString(),
                    entry.itemCount().isPresent() ? Long.toString(entry.itemCount().getAsLong()) : "-"));
        }
        String message = entries.size() + (entries.size() == 1 ? " backup" : " backups") + " in s3://" + bucket + "/" + prefix;
        return Result.success(message, Map.of("backups", rows), (entries.isEmpty() ? "" : TextTable.render(text)) + message);
    }

    static Map<String, Object> data(BackupEntry entry) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("exportId", entry.exportId());
        row.put("status", entry.status().name());
        row.put("table", entry.tableName().orElse(null));
        row.put("tableArn", entry.tableArn().orElse(null));
        row.put("directory", entry.directory());
        row.put("startTime", entry.startTime().toString());
        row.put("endTime", entry.endTime().map(Object::toString).orElse(null));
        row.put("items", entry.itemCount().isPresent() ? entry.itemCount().getAsLong() : null);
        row.put("bytes", entry.bytes());
        return row;
    }
}
