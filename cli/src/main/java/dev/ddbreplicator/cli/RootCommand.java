package dev.ddbreplicator.cli;

import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ddb-replicator}: the global options and the verbs. */
@Command(name = "ddb-replicator", mixinStandardHelpOptions = true, version = "ddb-replicator 0.1.0",
        description = "Self-hosted DynamoDB cross-region replication and backup: the operator command.",
        footer = {"", "Exit codes: 0 ok, 1 the operation failed or found differences, 2 bad usage or input.",
                "Documentation: docs/operator.md"},
        subcommands = {
                LocalCommand.class,
                StreamsCommand.class,
                PairsCommand.class,
                BackfillCommand.class,
                VerifyCommand.class,
                StatusCommand.class,
                DlqCommand.class,
                KclCommand.class,
                BackupCommand.class,
                RestoreCommand.class,
                DemoCommand.class})
final class RootCommand extends VerbGroup {

    @Mixin
    GlobalOptions options = new GlobalOptions();

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> variables;

    RootCommand(PrintStream out, PrintStream err, Map<String, String> variables) {
        this.out = out;
        this.err = err;
        this.variables = variables;
    }

    Output output() {
        return new Output(out, err, options.json);
    }

    Environment environment() {
        return new Environment(options, variables, output(), Clock.systemUTC());
    }
}
