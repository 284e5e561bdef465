package dev.ddbreplicator.cli;

import picocli.CommandLine.Command;

/** {@code streams}: the source table's stream. */
@Command(name = "streams", mixinStandardHelpOptions = true, description = "Turn on or inspect a table's stream (NEW_AND_OLD_IMAGES).",
        subcommands = {StreamsEnableCommand.class, StreamsStatusCommand.class})
final class StreamsCommand extends VerbGroup {
}
