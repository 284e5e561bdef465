package dev.ddbreplicator.cli;

import picocli.CommandLine.Command;

/** {@code backup run}. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "backup run (comes with the backup module).")
final class BackupRunCommand extends UnavailableVerb {

    @Override
    protected String module() {
        return "backup";
    }
}
