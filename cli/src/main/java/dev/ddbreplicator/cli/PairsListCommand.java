package dev.ddbreplicator.cli;

import dev.ddbreplicator.core.pair.TablePair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code pairs list}: every registered pair. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the registered pairs.")
final class PairsListCommand extends Verb {

    @Override
    protected Result execute(Environment env) {
        List<TablePair> pairs = env.registry().list();
        List<Map<String, Object>> rows = new ArrayList<>();
        List<List<String>> table = new ArrayList<>();
        table.add(List.of("ID", "SOURCE", "REPLICA", "STATE", "TTL DELETES", "ROLE"));
        for (TablePair pair : pairs) {
            rows.add(data(pair));
            table.add(List.of(pair.id(), pair.sourceTable() + "@" + pair.sourceRegion(), pair.replicaTable() + "@" + pair.replicaRegion(),
                    pair.state().name(), pair.ttlDeletes().name().toLowerCase(java.util.Locale.ROOT), pair.replicaRoleArn().orElse("-")));
        }
        String message = pairs.size() + (pairs.size() == 1 ? " pair" : " pairs") + " in the control table in " + env.region();
        String text = pairs.isEmpty() ? message + "\n" : TextTable.render(table) + message + "\n";
        return Result.success(message, Map.of("pairs", rows), text);
    }

    static Map<String, Object> data(TablePair pair) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", pair.id());
        data.put("sourceTable", pair.sourceTable());
        data.put("sourceRegion", pair.sourceRegion());
        data.put("replicaTable", pair.replicaTable());
        data.put("replicaRegion", pair.replicaRegion());
        data.put("roleArn", pair.replicaRoleArn().orElse(null));
        data.put("versionAttribute", pair.versionAttribute());
        data.put("ttlDeletes", pair.ttlDeletes().name().toLowerCase(java.util.Locale.ROOT));
        data.put("state", pair.state().name());
        data.put("createdAt", pair.createdAt().toString());
        data.put("updatedAt", pair.updatedAt().toString());
        return data;
    }
}
