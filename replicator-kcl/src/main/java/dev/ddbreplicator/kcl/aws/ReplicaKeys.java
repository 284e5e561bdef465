package dev.ddbreplicator.kcl.aws;

import dev.ddbreplicator.core.aws.KeySchemas;
import dev.ddbreplicator.core.pair.TablePair;
import dev.ddbreplicator.kcl.config.ConfigException;
import dev.ddbreplicator.kcl.config.Option;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * Refuses, at start, a replica table keyed differently from its source: every write to it would be
 * refused by DynamoDB and dead-lettered, so the worker would run and replicate nothing. A replica
 * that cannot be described now (its region out of reach, the table not created yet) is not checked:
 * the worker starts and its writes wait for it, as before.
 */
public final class ReplicaKeys {

    private static final Logger log = LoggerFactory.getLogger(ReplicaKeys.class);

    private ReplicaKeys() {
    }

    /**
     * @param explicit whether the pair was given on the command line (the fault is then a setting of the worker)
     * @throws ConfigException when both tables are there and their key schemas differ: exit status 2
     */
    public static void requireSameAsSource(DynamoDbClient source, DynamoDbClient replica, TablePair pair, boolean explicit) {
        Optional<String> want = signature(source, pair.sourceTable(), pair.sourceRegion());
        Optional<String> have = signature(replica, pair.replicaTable(), pair.replicaRegion());
        if (want.isPresent() && have.isPresent() && !want.get().equals(have.get())) {
            throw new ConfigException(explicit ? Option.REPLICA_TABLE : Option.PAIR, "replica table " + pair.replicaTable() + " in "
                    + pair.replicaRegion() + " has key schema [" + have.get() + "], the source " + pair.sourceTable() + " has ["
                    + want.get() + "]; a replica needs the same key schema");
        }
    }

    /** The key schema with types, as {@code pk:S HASH, sk:N RANGE}; empty when the table cannot be described now. */
    static Optional<String> signature(DynamoDbClient client, String table, String region) {
        TableDescription description;
        try {
            description = client.describeTable(b -> b.tableName(table)).table();
        } catch (ResourceNotFoundException e) {
            log.warn("table {} does not exist in {} yet; its key schema is not checked", table, region);
            return Optional.empty();
        } catch (RuntimeException e) {
            log.warn("cannot describe table {} in {} now ({}); its key schema is not checked", table, region, e.toString());
            return Optional.empty();
        }
        return Optional.of(KeySchemas.signature(description));
    }
}
