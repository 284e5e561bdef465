package dev.ddbreplicator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** Issue 8: the README's first command runs the whole story and exits 0 only when every check passed. */
class DemoCommandTest {

    @Test
    void aSmallDemoPassesEveryStepAndAnswersOneJsonSummary() {
        Cli.Run run = Cli.raw("--json", "demo", "--items", "300");
        assertThat(run.code()).as(run.toString()).isZero();
        JsonNode answer = run.json();
        assertThat(answer.get("status").asText()).isEqualTo("success");
        assertThat(answer.get("data").get("steps")).extracting(s -> s.get("step").asText())
                .containsExactly("master table", "stream + pair", "backfill", "live replication", "verify", "backup to S3", "restore + verify");
        assertThat(answer.get("data").get("steps")).allSatisfy(s -> assertThat(s.get("result").asText()).isEqualTo("ok"));
        assertThat(answer.get("data").get("steps").toString()).contains("lambda: ");
        // The story went to stderr in JSON mode: the commands an operator would type, and the live progress.
        assertThat(run.err()).contains("$ ddb-replicator backfill --pair orders-eu").contains("live:")
                .contains("restored table Orders-restored equals the master");
    }

    @Test
    void theCoreReplicatorPassesTooAndTheSummaryNamesIt() {
        Cli.Run run = Cli.raw("demo", "--items", "200", "--replicator", "core");
        assertThat(run.code()).as(run.toString()).isZero();
        assertThat(run.out()).contains("core (built-in stream follower)").contains("demo passed");
        assertThat(run.out()).containsPattern("live replication +ok +[0-9.]+s +core: ");
    }

    @Test
    void badDemoOptionsAreBadUsage() {
        assertThat(Cli.raw("demo", "--items", "0").code()).isEqualTo(2);
        assertThat(Cli.raw("demo", "--replicator", "spark").code()).isEqualTo(2);
    }
}
