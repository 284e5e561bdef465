package dev.ddbreplicator.cli;

import picocli.CommandLine.Command;

/** {@code kcl}: the KCL worker. */
@Command(name = "kcl", mixinStandardHelpOptions = true, description = "Run the KCL replicator worker.", subcommands = {KclRunCommand.class})
final class KclCommand extends VerbGroup {
}
