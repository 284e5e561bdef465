package dev.ddbreplicator.cli;

import picocli.CommandLine.Command;

/** {@code kcl run --pair ID}: the KCL worker in the foreground. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run the KCL worker for a pair in the foreground (kcl run --pair ID [worker options]).")
final class KclRunCommand extends UnavailableVerb {

    @Override
    protected String module() {
        return "replicator-kcl";
    }
}
