package dev.ddbreplicator.cli;

import picocli.CommandLine.Command;

/** {@code backup prune}. */
@Command(name = "prune", mixinStandardHelpOptions = true, description = "backup prune (comes with the backup module).")
final class BackupPruneCommand extends UnavailableVerb {

    @Override
    protected String module() {
        return "backup";
    }
}
