package dev.ddbreplicator.cli;

import picocli.CommandLine.Command;

/** {@code dlq}: the changes that could not be written. */
@Command(name = "dlq", mixinStandardHelpOptions = true, description = "List or replay a pair's dead letters (poison changes kept whole in S3).",
        subcommands = {DlqListCommand.class, DlqReplayCommand.class})
final class DlqCommand extends VerbGroup {
}
