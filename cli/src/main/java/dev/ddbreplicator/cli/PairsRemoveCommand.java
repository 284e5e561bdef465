package dev.ddbreplicator.cli;

import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pairs remove --id ID}: unregisters a pair; its tables are left as they are. */
@Command(name = "remove", mixinStandardHelpOptions = true,
        description = "Unregister a pair and forget its status. Both tables are kept; replicators stop applying it within their cache time.")
final class PairsRemoveCommand extends Verb {

    @Option(names = "--id", required = true, paramLabel = "ID") String id;

    @Override
    protected Result execute(Environment env) {
        env.pair(id);
        if (!env.registry().remove(id)) {
            throw CliException.notFound("no pair with id '" + id + "'; see 'ddb-replicator pairs list'");
        }
        env.statusStore().delete(id);
        return Result.success("pair '" + id + "' removed; its source and replica tables are kept", Map.of("id", id));
    }
}
