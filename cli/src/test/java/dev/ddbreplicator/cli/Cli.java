package dev.ddbreplicator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ddbreplicator.core.aws.AwsClients;
import dev.ddbreplicator.core.aws.AwsSettings;
import dev.ddbreplicator.testkit.LocalRegionsExtension;
import dev.ddbreplicator.testkit.LocalS3Extension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import picocli.CommandLine;

/** Runs the command in this process against a test's embedded stack and keeps what it printed. */
final class Cli {

    /** What one run answered. */
    record Run(int code, String out, String err) {
        JsonNode json() {
            try {
                return new ObjectMapper().readTree(out);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + out, e);
            }
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- out:\n" + out + "--- err:\n" + err;
        }
    }

    private final LocalRegionsExtension regions;
    private final LocalS3Extension s3;

    Cli(LocalRegionsExtension regions, LocalS3Extension s3) {
        this.regions = regions;
        this.s3 = s3;
    }

    List<String> flags() {
        List<String> flags = new ArrayList<>(List.of("--region", "us-east-1",
                "--endpoint", "us-east-1=" + regions.region("us-east-1").endpoint(),
                "--endpoint", "eu-west-1=" + regions.region("eu-west-1").endpoint()));
        if (s3 != null) {
            flags.addAll(List.of("--s3-endpoint", s3.server().endpoint().toString()));
        }
        return flags;
    }

    /** Runs {@code ddb-replicator <flags> <args>}. */
    Run run(String... args) {
        return runWith(command -> { }, args);
    }

    /** Runs it after {@code setup} has seen the parsed-to-be command tree (to set test hooks on verbs). */
    Run runWith(Consumer<CommandLine> setup, String... args) {
        List<String> all = new ArrayList<>(flags());
        all.addAll(List.of(args));
        return raw(setup, all.toArray(String[]::new));
    }

    /** Runs exactly these arguments, without the stack's flags. */
    static Run raw(String... args) {
        return raw(command -> { }, args);
    }

    static Run raw(Consumer<CommandLine> setup, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        CommandLine command = Main.commandLine(outStream, errStream, Map.of());
        setup.accept(command);
        int code = command.execute(args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    AwsClients clients() {
        return new AwsClients(AwsSettings.local(Map.of("us-east-1", regions.region("us-east-1").endpoint(),
                "eu-west-1", regions.region("eu-west-1").endpoint()), s3 == null ? Optional.empty() : Optional.of(s3.server().endpoint())));
    }
}
