package dev.ddbreplicator.testkit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * Scans a source and a replica table and reports the items missing from the replica, the
 * extra ones, and those that differ, ignoring the given attributes (the replication version).
 */
public final class TableComparer {

    private static final int EXAMPLES = 10;

    private final Set<String> ignored;

    public TableComparer(Set<String> ignoredAttributes) {
        this.ignored = Set.copyOf(ignoredAttributes);
    }

    /** Compares the two tables as they are now. */
    public TableDiff compare(DynamoDbClient sourceClient, String sourceTable, DynamoDbClient replicaClient, String replicaTable) {
        List<String> keyNames = sourceClient.describeTable(b -> b.tableName(sourceTable)).table().keySchema().stream()
                .map(KeySchemaElement::attributeName)
                .toList();
        Map<Map<String, AttributeValue>, Map<String, AttributeValue>> source = scan(sourceClient, sourceTable, keyNames);
        Map<Map<String, AttributeValue>, Map<String, AttributeValue>> replica = scan(replicaClient, replicaTable, keyNames);

        List<Map<String, AttributeValue>> missing = new ArrayList<>();
        List<Map<String, AttributeValue>> different = new ArrayList<>();
        long missingCount = 0;
        long differentCount = 0;
        for (var entry : source.entrySet()) {
            Map<String, AttributeValue> other = replica.get(entry.getKey());
            if (other == null) {
                missingCount++;
                addExample(missing, entry.getKey());
            } else if (!other.equals(entry.getValue())) {
                differentCount++;
                addExample(different, entry.getKey());
            }
        }
        List<Map<String, AttributeValue>> extra = new ArrayList<>();
        long extraCount = 0;
        for (var key : replica.keySet()) {
            if (!source.containsKey(key)) {
                extraCount++;
                addExample(extra, key);
            }
        }
        return new TableDiff(source.size(), replica.size(), missingCount, extraCount, differentCount,
                render(missing), render(extra), render(different));
    }

    private Map<Map<String, AttributeValue>, Map<String, AttributeValue>> scan(DynamoDbClient client, String table, List<String> keyNames) {
        Map<Map<String, AttributeValue>, Map<String, AttributeValue>> items = new HashMap<>();
        ScanRequest request = ScanRequest.builder().tableName(table).consistentRead(true).build();
        client.scanPaginator(request).items().forEach(item -> {
            Map<String, AttributeValue> key = new HashMap<>();
            keyNames.forEach(k -> key.put(k, item.get(k)));
            Map<String, AttributeValue> kept = new HashMap<>(item);
            kept.keySet().removeAll(ignored);
            items.put(key, kept);
        });
        return items;
    }

    private static void addExample(List<Map<String, AttributeValue>> examples, Map<String, AttributeValue> key) {
        if (examples.size() < EXAMPLES) {
            examples.add(key);
        }
    }

    private static List<String> render(List<Map<String, AttributeValue>> keys) {
        return keys.stream()
                .map(k -> k.entrySet().stream()
                        .sorted(Map.Entry.comparingByKey())
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(",", "{", "}")))
                .toList();
    }
}
