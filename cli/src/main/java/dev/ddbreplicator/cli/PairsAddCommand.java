package dev.ddbreplicator.cli;

import dev.ddbreplicator.core.aws.KeySchemas;
import dev.ddbreplicator.core.pair.PairExistsException;
import dev.ddbreplicator.core.pair.PairRegistry;
import dev.ddbreplicator.core.pair.PairState;
import dev.ddbreplicator.core.pair.TablePair;
import dev.ddbreplicator.core.pair.TtlDeletePolicy;
import dev.ddbreplicator.core.write.WriterSettings;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/** {@code pairs add}: registers a pair after checking that it can work. */
@Command(name = "add", mixinStandardHelpOptions = true,
        description = {"Register a table pair: the source table (with its NEW_AND_OLD_IMAGES stream) is replicated into the replica table.",
                "Refused, with nothing changed, when the replica's key schema differs from the source's, or when the pair would close "
                        + "a loop of pairs (replicated writes would chase each other forever).",
                "A new pair is BACKFILLING until 'backfill' has copied the existing items."})
final class PairsAddCommand extends Verb {

    @Option(names = "--source-table", required = true, paramLabel = "T") String sourceTable;
    @Option(names = "--source-region", required = true, paramLabel = "R") String sourceRegion;
    @Option(names = "--replica-table", required = true, paramLabel = "T2") String replicaTable;
    @Option(names = "--replica-region", required = true, paramLabel = "R2") String replicaRegion;
    @Option(names = "--role-arn", paramLabel = "ARN", description = "Role to assume to write the replica (another account).")
    String roleArn;
    @Option(names = "--create-replica", description = "Create the replica table with the source's key schema, indexes and billing mode.")
    boolean createReplica;
    @Option(names = "--ttl-deletes", paramLabel = "replicate|skip", defaultValue = "replicate",
            description = "Whether items the source's TTL removes are removed from the replica too (default: ${DEFAULT-VALUE}).")
    String ttlDeletes;
    @Option(names = "--version-attribute", paramLabel = "NAME", defaultValue = WriterSettings.DEFAULT_VERSION_ATTRIBUTE,
            description = "Replica attribute that holds each item's version (default: ${DEFAULT-VALUE}). Choose another when source "
                    + "items have an attribute of that name: such items cannot be replicated and are dead-lettered.")
    String versionAttribute;
    @Option(names = "--id", paramLabel = "ID", description = "Pair id (default: <source>.<region>-to-<replica>.<region>).")
    String id;

    @Override
    protected Result execute(Environment env) throws InterruptedException {
        TablePair pair = pair(env.clock().instant());
        PairRegistry registry = env.registry();
        List<TablePair> registered = registry.list();
        if (registered.stream().anyMatch(p -> p.id().equals(pair.id()))) {
            throw CliException.badRequest("a pair with id '" + pair.id() + "' is registered already; choose another --id or remove it first");
        }
        registered.stream().filter(p -> PairCycles.source(p).equals(PairCycles.source(pair)) && PairCycles.replica(p).equals(PairCycles.replica(pair)))
                .findFirst().ifPresent(p -> {
                    throw CliException.badRequest("pair '" + p.id() + "' already replicates " + PairCycles.source(pair) + " into "
                            + PairCycles.replica(pair));
                });
        PairCycles.cycle(registered, pair).ifPresent(loop -> {
            throw CliException.badRequest("refused: this pair would close the loop " + PairCycles.describe(loop)
                    + "; replicated writes would chase each other around it forever");
        });

        TableDescription source = Tables.require(env.dynamoDb(sourceRegion), sourceTable, sourceRegion, "source");
        Tables.requireReplicationStream(source, sourceRegion);
        if (source.keySchema().stream().anyMatch(k -> k.attributeName().equals(versionAttribute))) {
            throw CliException.badRequest("--version-attribute '" + versionAttribute + "' is a key attribute of the source table; "
                    + "choose a name the source items do not use");
        }
        DynamoDbClient replicaClient = env.clients().dynamoDb(replicaRegion, pair.replicaRoleArn());
        Optional<TableDescription> replica = Tables.describe(replicaClient, replicaTable);
        String created = "";
        if (replica.isPresent()) {
            String want = KeySchemas.signature(source);
            String have = KeySchemas.signature(replica.get());
            if (!want.equals(have)) {
                throw CliException.badRequest("replica table '" + replicaTable + "' in " + replicaRegion + " has key schema [" + have
                        + "], the source has [" + want + "]; a replica needs the same key schema");
            }
        } else if (createReplica) {
            replicaClient.createTable(Tables.replicaOf(source, replicaTable));
            replicaClient.waiter().waitUntilTableExists(b -> b.tableName(replicaTable));
            created = "created replica table '" + replicaTable + "' in " + replicaRegion + " (" + KeySchemas.signature(source) + ")\n";
        } else {
            throw CliException.notFound("replica table '" + replicaTable + "' not found in " + replicaRegion
                    + "; create it, or pass --create-replica to create it like the source");
        }

        try {
            registry.add(pair);
        } catch (PairExistsException e) {
            throw CliException.badRequest(e.getMessage());
        }
        String message = "pair '" + pair.id() + "' registered: " + PairCycles.source(pair) + " -> " + PairCycles.replica(pair) + ", state "
                + pair.state();
        String text = created + message + "\nnext: run a replicator for it (Lambda or 'kcl run --pair " + pair.id()
                + "'), then 'backfill --pair " + pair.id() + "'";
        var data = PairsListCommand.data(pair);
        data.put("replicaCreated", !created.isEmpty());
        return Result.success(message, data, text);
    }

    private TablePair pair(Instant now) {
        String pairId = id != null ? id : TablePair.defaultId(sourceTable, sourceRegion, replicaTable, replicaRegion);
        try {
            return new TablePair(pairId, sourceTable, sourceRegion, replicaTable, replicaRegion, Optional.ofNullable(roleArn),
                    versionAttribute, TtlDeletePolicy.parse(ttlDeletes), PairState.BACKFILLING, now, now);
        } catch (IllegalArgumentException e) {
            throw CliException.badRequest(e.getMessage());
        }
    }
}
