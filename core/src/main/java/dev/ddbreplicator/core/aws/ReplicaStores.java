package dev.ddbreplicator.core.aws;

import dev.ddbreplicator.core.pair.TablePair;
import dev.ddbreplicator.core.write.DynamoDbReplicaStore;
import dev.ddbreplicator.core.write.TombstoneTable;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The versioned replica store of a pair, with its tombstones, exactly as the replicators write
 * it: for the writers that are not replicators (backfill, repair, dead-letter replay).
 */
public final class ReplicaStores {

    private ReplicaStores() {
    }

    /** The store of the pair's replica table; creates the region's tombstone table if it is missing. */
    public static DynamoDbReplicaStore forPair(AwsClients clients, ReplicatorSettings settings, TablePair pair, Clock clock) {
        return create(clients, settings, pair, clock, true);
    }

    /**
     * The store of the pair's replica table.
     *
     * @param ensureTombstoneTable whether to check first that the tombstone table exists, creating it if not
     */
    static DynamoDbReplicaStore create(AwsClients clients, ReplicatorSettings settings, TablePair pair, Clock clock,
                                       boolean ensureTombstoneTable) {
        DynamoDbClient replica = clients.dynamoDb(pair.replicaRegion(), pair.replicaRoleArn());
        if (ensureTombstoneTable) {
            TombstoneTable.ensureExists(replica, settings.tombstoneTable());
        }
        TombstoneTable tombstones = new TombstoneTable(replica, settings.tombstoneTable(), pair.replicaTable(), clock,
                settings.tombstoneRetention());
        return new DynamoDbReplicaStore(replica, pair.replicaTable(), pair.versionAttribute(), tombstones);
    }
}
