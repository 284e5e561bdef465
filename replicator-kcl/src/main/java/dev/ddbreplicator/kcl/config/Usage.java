package dev.ddbreplicator.kcl.config;

import java.util.ArrayList;
import java.util.List;

/** The {@code --help} text, generated from {@link Option} so that every setting is explained. */
public final class Usage {

    private static final int WIDTH = 100;
    private static final String INDENT = "      ";

    private Usage() {
    }

    /**
     * @param command how the worker is invoked, e.g. {@code java -jar replicator-kcl.jar}
     */
    public static String text(String command) {
        StringBuilder out = new StringBuilder();
        out.append("usage: ").append(command).append(" (--pair ID | --source-table T --source-region R --replica-table T2")
                .append(" --replica-region R2)\n")
                .append("       --dead-letter-bucket BUCKET [options]\n\n")
                .append("Replicates one table pair from its DynamoDB stream with the Kinesis Client Library. Every host started\n")
                .append("with the same pair shares the stream's shards through KCL leases. Serves /health, /ready and /metrics.\n")
                .append("Stops gracefully on SIGTERM: the batches in flight finish and are checkpointed.\n\n")
                .append("options (each is also a key of the --config file):\n");
        for (Option option : Option.values()) {
            out.append("  --").append(option.key()).append(' ').append(option.placeholder()).append('\n');
            for (String line : wrap(option.help() + " Default: " + option.defaultText() + ".")) {
                out.append(INDENT).append(line).append('\n');
            }
        }
        out.append("  --help\n").append(INDENT).append("Print this text.\n\n")
                .append("exit status: 143 after a graceful stop on SIGTERM (the JVM's convention), 1 when the worker failed or\n")
                .append("could not start, 2 for bad settings.\n");
        return out.toString();
    }

    private static List<String> wrap(String text) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > WIDTH - INDENT.length()) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        return lines;
    }
}
