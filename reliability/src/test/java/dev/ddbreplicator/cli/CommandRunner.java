package dev.ddbreplicator.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Runs the operator command in this process, as {@code ddb-replicator ARGS} would, and keeps what it
 * printed. It lives in the command's package because the in-process entry is not public API.
 */
public final class CommandRunner {

    /** What one run answered: the exit code and both streams. */
    public record Run(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- out:\n" + out + "--- err:\n" + err;
        }
    }

    private CommandRunner() {
    }

    /** Runs the command with no environment variables (no AWS_REGION from the machine leaks in). */
    public static Run run(String... args) {
        return run(Map.of(), args);
    }

    public static Run run(Map<String, String> variables, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                variables);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
