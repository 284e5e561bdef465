package dev.ddbreplicator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {

    @Test
    void everyVerbAnswersHelpWithItsUsageAndExitZero() {
        List<List<String>> verbs = new ArrayList<>();
        collect(Main.commandLine(System.out, System.err, Map.of()), new ArrayList<>(), verbs);
        assertThat(verbs).extracting(v -> String.join(" ", v)).contains("local", "streams enable", "streams status", "pairs add",
                "pairs list", "pairs remove", "backfill", "verify", "status", "dlq list", "dlq replay", "kcl run", "backup run",
                "backup list", "backup prune", "restore", "demo");
        for (List<String> verb : verbs) {
            List<String> args = new ArrayList<>(verb);
            args.add("--help");
            Cli.Run run = Cli.raw(args.toArray(String[]::new));
            assertThat(run.code()).as(String.join(" ", args)).isZero();
            assertThat(run.out()).as(String.join(" ", args)).contains("Usage: ddb-replicator " + String.join(" ", verb));
        }
    }

    @Test
    void anUnknownVerbOrNoVerbIsBadUsageWithOneLineOnStderr() {
        Cli.Run unknown = Cli.raw("replicate");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err().lines()).hasSize(1);
        assertThat(unknown.err()).contains("replicate");

        Cli.Run none = Cli.raw();
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).contains("needs one of");

        Cli.Run group = Cli.raw("pairs");
        assertThat(group.code()).isEqualTo(2);
        assertThat(group.err()).contains("add, list, remove");
    }

    @Test
    void aMissingRequiredFlagNamesItAndAJsonRunAnswersBadRequest() {
        Cli.Run run = Cli.raw("--json", "backfill");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err().lines()).hasSize(1);
        assertThat(run.err()).contains("--pair");
        assertThat(run.json().get("status").asText()).isEqualTo("badRequest");
        assertThat(run.json().get("message").asText()).contains("--pair");
    }

    @Test
    void withoutARegionAVerbSaysHowToGiveOne() {
        Cli.Run run = Cli.raw("pairs", "list");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("--region");
    }

    @Test
    void anUnreachableEndpointIsAFailureThatSaysWhatToCheck() {
        Cli.Run run = Cli.raw("--endpoint", "us-east-1=http://127.0.0.1:" + dev.ddbreplicator.testkit.FreePorts.next(), "--json", "pairs", "list");
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err().lines()).hasSize(1);
        assertThat(run.err()).contains("cannot reach AWS").contains("--endpoint");
        assertThat(run.json().get("status").asText()).isEqualTo("error");
    }

    @Test
    void aBadEndpointUrlIsBadInput() {
        Cli.Run run = Cli.raw("--endpoint", "us-east-1=localhost-8000", "pairs", "list");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("--endpoint us-east-1 must be an http(s) URL");
    }

    private static void collect(CommandLine command, List<String> path, List<List<String>> into) {
        for (var entry : command.getSubcommands().entrySet()) {
            List<String> next = new ArrayList<>(path);
            next.add(entry.getKey());
            if (entry.getValue().getSubcommands().isEmpty()) {
                into.add(next);
            } else {
                collect(entry.getValue(), next, into);
            }
        }
    }
}
