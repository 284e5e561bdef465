package dev.ddbreplicator.cli;

import picocli.CommandLine.Command;

/** {@code pairs}: the registered table pairs. */
@Command(name = "pairs", mixinStandardHelpOptions = true, description = "Register, list and remove table pairs (kept in the control table).",
        subcommands = {PairsAddCommand.class, PairsListCommand.class, PairsRemoveCommand.class})
final class PairsCommand extends VerbGroup {
}
