package dev.ddbreplicator.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import picocli.CommandLine;

/** The {@code ddb-replicator} command: parses the verb and its options and hands over. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command line in this process and returns its exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, System.getenv());
    }

    static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> variables) {
        CommandLine command = commandLine(out, err, variables);
        return command.execute(args);
    }

    static CommandLine commandLine(PrintStream out, PrintStream err, Map<String, String> variables) {
        RootCommand root = new RootCommand(out, err, variables);
        CommandLine command = new CommandLine(root);
        command.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        command.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        command.setCaseInsensitiveEnumValuesAllowed(true);
        command.setParameterExceptionHandler((ex, badArgs) -> {
            CommandLine failed = ex.getCommandLine();
            String name = failed.getCommandSpec().qualifiedName();
            String message = Output.oneLine(ex.getMessage()) + "; see '" + name + " --help'";
            boolean json = Arrays.asList(badArgs).contains("--json");
            return new Output(out, err, json).print(name, CliException.badRequest(message).result());
        });
        // kcl run's --help ends with every worker option, as the worker itself explains them.
        command.getSubcommands().get("kcl").getSubcommands().get("run").getCommandSpec().usageMessage()
                .footer("%nWorker options:%n" + dev.ddbreplicator.kcl.config.Usage.text(KclRunCommand.COMMAND).replace("%", "%%"));
        command.setExecutionExceptionHandler((ex, failed, parsed) -> {
            String name = failed.getCommandSpec().qualifiedName();
            return root.output().print(name, Verb.describe(ex));
        });
        return command;
    }
}
