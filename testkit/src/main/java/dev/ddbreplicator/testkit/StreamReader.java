package dev.ddbreplicator.testkit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamDescription;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Reads every record of a table's stream: all shards, parents before children, each shard
 * from its oldest record until it is caught up. Records of one key therefore come in the order
 * the table saw them, which is all a replicator may rely on.
 */
public final class StreamReader {

    private final DynamoDbStreamsClient streams;

    public StreamReader(DynamoDbStreamsClient streams) {
        this.streams = streams;
    }

    /** The latest stream ARN of a table. */
    public static String streamArn(software.amazon.awssdk.services.dynamodb.DynamoDbClient client, String table) {
        String arn = client.describeTable(b -> b.tableName(table)).table().latestStreamArn();
        if (arn == null) {
            throw new IllegalStateException("table " + table + " has no stream");
        }
        return arn;
    }

    /** Every record currently in the stream. */
    public List<Record> readAll(String streamArn) {
        List<Record> records = new ArrayList<>();
        for (Shard shard : shardsParentsFirst(streamArn)) {
            records.addAll(readShard(streamArn, shard));
        }
        return records;
    }

    private List<Record> readShard(String streamArn, Shard shard) {
        List<Record> records = new ArrayList<>();
        String iterator = streams.getShardIterator(b -> b.streamArn(streamArn)
                .shardId(shard.shardId())
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        int emptyReads = 0;
        // An open shard never ends; two empty pages in a row mean it is caught up.
        while (iterator != null && emptyReads < 2) {
            String current = iterator;
            GetRecordsResponse page = streams.getRecords(b -> b.shardIterator(current).limit(1000));
            records.addAll(page.records());
            emptyReads = page.records().isEmpty() ? emptyReads + 1 : 0;
            iterator = page.nextShardIterator();
        }
        return records;
    }

    private List<Shard> shardsParentsFirst(String streamArn) {
        List<Shard> all = new ArrayList<>();
        String start = null;
        do {
            String exclusiveStart = start;
            StreamDescription description = streams.describeStream(b -> b.streamArn(streamArn)
                    .exclusiveStartShardId(exclusiveStart)).streamDescription();
            all.addAll(description.shards());
            start = description.lastEvaluatedShardId();
        } while (start != null);

        Map<String, Shard> byId = new HashMap<>();
        all.forEach(s -> byId.put(s.shardId(), s));
        List<Shard> ordered = new ArrayList<>();
        Set<String> placed = new HashSet<>();
        for (Shard shard : all) {
            place(shard, byId, placed, ordered);
        }
        return ordered;
    }

    private static void place(Shard shard, Map<String, Shard> byId, Set<String> placed, List<Shard> ordered) {
        if (placed.contains(shard.shardId())) {
            return;
        }
        Shard parent = shard.parentShardId() == null ? null : byId.get(shard.parentShardId());
        if (parent != null) {
            place(parent, byId, placed, ordered);
        }
        placed.add(shard.shardId());
        ordered.add(shard);
    }
}
