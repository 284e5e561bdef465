package dev.ddbreplicator.cli;

import picocli.CommandLine.Command;

/** {@code backup list}. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "backup list (comes with the backup module).")
final class BackupListCommand extends UnavailableVerb {

    @Override
    protected String module() {
        return "backup";
    }
}
