package dev.ddbreplicator.cli;

import picocli.CommandLine.Command;

/** {@code backup}: snapshots of a table in S3. */
@Command(name = "backup", mixinStandardHelpOptions = true, description = "Take, list and prune backups in S3 (native export format).",
        subcommands = {BackupRunCommand.class, BackupListCommand.class, BackupPruneCommand.class})
final class BackupCommand extends VerbGroup {
}
