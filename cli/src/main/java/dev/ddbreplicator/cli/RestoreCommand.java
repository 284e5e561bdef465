package dev.ddbreplicator.cli;

import picocli.CommandLine.Command;

/** {@code restore}: a backup back into a table. */
@Command(name = "restore", mixinStandardHelpOptions = true, description = "Restore a backup from S3 into a new table (comes with the backup module).")
final class RestoreCommand extends UnavailableVerb {

    @Override
    protected String module() {
        return "backup";
    }
}
