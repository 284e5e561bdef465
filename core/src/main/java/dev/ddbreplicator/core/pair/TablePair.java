package dev.ddbreplicator.core.pair;

import dev.ddbreplicator.core.write.WriterSettings;
import java.time.Instant;
import java.util.Optional;

/**
 * A registered replication: a source table in one region kept copied into a replica table in
 * another region (or account, through a role to assume), with the pair's own settings.
 *
 * @param id short unique name, used in dead-letter paths, metrics and KCL application names
 * @param replicaRoleArn role to assume for writing the replica when it lives in another account
 * @param versionAttribute replica attribute holding the version
 * @param ttlDeletes whether TTL deletes are replicated
 * @param state backfilling or active
 */
public record TablePair(String id, String sourceTable, String sourceRegion, String replicaTable, String replicaRegion,
                        Optional<String> replicaRoleArn, String versionAttribute, TtlDeletePolicy ttlDeletes,
                        PairState state, Instant createdAt, Instant updatedAt) {

    public TablePair {
        Names.pairId(id);
        Names.table("source table", sourceTable);
        Names.region("source region", sourceRegion);
        Names.table("replica table", replicaTable);
        Names.region("replica region", replicaRegion);
        replicaRoleArn = replicaRoleArn == null ? Optional.empty() : replicaRoleArn.filter(s -> !s.isBlank());
        replicaRoleArn.ifPresent(Names::roleArn);
        if (sourceTable.equals(replicaTable) && sourceRegion.equals(replicaRegion) && replicaRoleArn.isEmpty()) {
            throw new IllegalArgumentException("source and replica are the same table (" + sourceTable + " in " + sourceRegion
                    + "): a table cannot replicate into itself; pick another replica table or region, or a role in another account");
        }
        // Settings are checked by the writer's own record, so the rules live in one place.
        new WriterSettings(versionAttribute, ttlDeletes, WriterSettings.DEFAULT_CONCURRENCY);
        if (state == null || createdAt == null || updatedAt == null) {
            throw new IllegalArgumentException("pair " + id + " needs a state and its times");
        }
    }

    /** A new active pair with default settings. */
    public static TablePair of(String id, String sourceTable, String sourceRegion, String replicaTable, String replicaRegion, Instant now) {
        return new TablePair(id, sourceTable, sourceRegion, replicaTable, replicaRegion, Optional.empty(),
                WriterSettings.DEFAULT_VERSION_ATTRIBUTE, TtlDeletePolicy.REPLICATE, PairState.ACTIVE, now, now);
    }

    /** The id a pair gets when none is given: readable and unique per table pair. */
    public static String defaultId(String sourceTable, String sourceRegion, String replicaTable, String replicaRegion) {
        String id = sourceTable + "." + sourceRegion + "-to-" + replicaTable + "." + replicaRegion;
        return id.length() <= 100 ? id : id.substring(0, 91) + "-" + Integer.toHexString(id.hashCode());
    }

    public TablePair withState(PairState newState, Instant now) {
        return new TablePair(id, sourceTable, sourceRegion, replicaTable, replicaRegion, replicaRoleArn, versionAttribute,
                ttlDeletes, newState, createdAt, now);
    }

    public TablePair withSettings(Optional<String> roleArn, String newVersionAttribute, TtlDeletePolicy newTtlDeletes) {
        return new TablePair(id, sourceTable, sourceRegion, replicaTable, replicaRegion, roleArn, newVersionAttribute,
                newTtlDeletes, state, createdAt, updatedAt);
    }

    public WriterSettings writerSettings(int concurrency) {
        return new WriterSettings(versionAttribute, ttlDeletes, concurrency);
    }

    @Override
    public String toString() {
        return id + " (" + sourceTable + "@" + sourceRegion + " -> " + replicaTable + "@" + replicaRegion + ")";
    }
}
