package dev.ddbreplicator.reliability;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;

/**
 * Everything the stack holds, as text: every table of every region with every item, and every
 * object of every bucket with its ETag. Two snapshots equal means a command changed nothing.
 */
record World(Map<String, String> contents) {

    static World of(Stack stack) {
        Map<String, String> contents = new TreeMap<>();
        tables(stack.sourceClient(), Stack.SOURCE_REGION, contents);
        tables(stack.replicaClient(), Stack.REPLICA_REGION, contents);
        S3Client s3 = stack.s3Client();
        for (Bucket bucket : s3.listBuckets().buckets()) {
            TreeSet<String> objects = new TreeSet<>();
            s3.listObjectsV2Paginator(b -> b.bucket(bucket.name())).contents().forEach(o -> objects.add(o.key() + " " + o.eTag()));
            contents.put("s3://" + bucket.name(), String.join("\n", objects));
        }
        return new World(contents);
    }

    private static void tables(DynamoDbClient client, String region, Map<String, String> contents) {
        List<String> names = new ArrayList<>();
        client.listTablesPaginator().tableNames().forEach(names::add);
        for (String table : names) {
            TreeSet<String> items = new TreeSet<>();
            client.scanPaginator(b -> b.tableName(table).consistentRead(true)).items().forEach(item -> items.add(new TreeMap<>(item).toString()));
            contents.put(region + "/" + table, String.join("\n", items));
        }
    }

    /** What differs from an earlier snapshot, by table or bucket; empty when nothing changed. */
    List<String> changesSince(World before) {
        List<String> changes = new ArrayList<>();
        TreeSet<String> names = new TreeSet<>(before.contents.keySet());
        names.addAll(contents.keySet());
        for (String name : names) {
            String was = before.contents.get(name);
            String now = contents.get(name);
            if (was == null) {
                changes.add(name + " appeared");
            } else if (now == null) {
                changes.add(name + " disappeared");
            } else if (!was.equals(now)) {
                changes.add(name + " changed");
            }
        }
        return changes;
    }
}
