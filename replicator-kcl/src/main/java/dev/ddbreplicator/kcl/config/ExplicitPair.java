package dev.ddbreplicator.kcl.config;

import dev.ddbreplicator.core.pair.Names;
import java.util.Optional;

/** A pair given by its tables and regions on the command line or in the file, instead of by a registered id. */
public record ExplicitPair(String sourceTable, String sourceRegion, String replicaTable, String replicaRegion,
                           Optional<String> replicaRoleArn) {

    public ExplicitPair {
        check(Option.SOURCE_TABLE, () -> Names.table("source table", sourceTable));
        check(Option.SOURCE_REGION, () -> Names.region("source region", sourceRegion));
        check(Option.REPLICA_TABLE, () -> Names.table("replica table", replicaTable));
        check(Option.REPLICA_REGION, () -> Names.region("replica region", replicaRegion));
        replicaRoleArn.ifPresent(arn -> check(Option.REPLICA_ROLE_ARN, () -> Names.roleArn(arn)));
    }

    private static void check(Option option, Runnable validation) {
        try {
            validation.run();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(option, e.getMessage());
        }
    }
}
