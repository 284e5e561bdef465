package dev.ddbreplicator.kcl.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.ddbreplicator.testkit.FreePorts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** scripts/bootstrap-ec2.sh against a temporary root, and the health check it installs. */
class BootstrapScriptTest {

    private static final Path SCRIPT = Path.of("..", "scripts", "bootstrap-ec2.sh").toAbsolutePath().normalize();

    @TempDir
    Path root;

    @TempDir
    Path work;

    private Path jar;

    /** What a run printed and how it ended. */
    record Run(int status, String output) {
    }

    @BeforeEach
    void aJar() throws IOException {
        jar = work.resolve("replicator-kcl.jar");
        Files.write(jar, new byte[] {'P', 'K', 3, 4, 1, 2, 3});
    }

    private Run bootstrap(String... args) throws Exception {
        return run(Map.of(), Stream.concat(Stream.of("bash", SCRIPT.toString()), Stream.of(args)).toList());
    }

    private List<String> install(String... more) {
        List<String> args = new ArrayList<>(List.of("--root", root.toString(), "--jar", jar.toString(), "--pair", "orders",
                "--region", "us-east-1", "--dead-letter-bucket", "my-dlq"));
        args.addAll(List.of(more));
        return args;
    }

    @Test
    void aDryRunPrintsTheUnitAndThePathsAndWritesNothing() throws Exception {
        List<String> args = install("--dry-run");

        Run run = bootstrap(args.toArray(String[]::new));

        assertThat(run.status()).as(run.output()).isZero();
        assertThat(run.output())
                .contains("would write: " + root + "/etc/systemd/system/ddb-replicator-kcl.service")
                .contains("would write: " + root + "/etc/ddb-replicator/worker.properties")
                .contains("would install: " + jar + " -> " + root + "/opt/ddb-replicator/replicator-kcl.jar")
                .contains("| Restart=always", "| pair = orders", "| MemoryMax=1536M")
                .contains("would run: systemctl enable --now ddb-replicator-kcl.service")
                .contains("dry run: nothing was changed");
        try (Stream<Path> files = Files.list(root)) {
            assertThat(files).as("nothing written under the root").isEmpty();
        }
    }

    @Test
    void anInstallWritesASupervisedUnitAndASecondRunChangesNothing() throws Exception {
        Run first = bootstrap(install("--memory-max", "2G", "--jvm-opts", "-Xmx1500m -XX:+ExitOnOutOfMemoryError", "--failures", "4",
                "--setting", "metrics=cloudwatch:DdbReplicator").toArray(String[]::new));
        Map<Path, FileTime> written = modified();

        assertThat(first.status()).as(first.output()).isZero();
        String unit = read("etc/systemd/system/ddb-replicator-kcl.service");
        assertThat(unit).contains("Restart=always", "MemoryMax=2G", "User=ddb-replicator", "SuccessExitStatus=143",
                "ExecStart=/usr/bin/java $JAVA_OPTS -jar /opt/ddb-replicator/replicator-kcl.jar --config /etc/ddb-replicator/worker.properties",
                "EnvironmentFile=/etc/ddb-replicator/worker.env").doesNotContain("@");
        assertThat(read("etc/ddb-replicator/worker.env")).contains("JAVA_OPTS=-Xmx1500m -XX:+ExitOnOutOfMemoryError");
        assertThat(read("etc/ddb-replicator/worker.properties")).contains("pair = orders", "dead-letter-bucket = my-dlq",
                "metrics = cloudwatch:DdbReplicator", "health-port = 8080");
        assertThat(read("etc/systemd/system/ddb-replicator-health.timer")).contains("OnUnitActiveSec=30s");
        assertThat(read("opt/ddb-replicator/bin/health-check")).contains("limit=4", "url=http://127.0.0.1:8080/health");
        assertThat(Files.getPosixFilePermissions(root.resolve("opt/ddb-replicator/bin/health-check")))
                .isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(Files.getPosixFilePermissions(root.resolve("etc/ddb-replicator/worker.properties")))
                .isEqualTo(PosixFilePermissions.fromString("rw-r-----"));
        assertThat(root.resolve("opt/ddb-replicator/replicator-kcl.jar")).hasSameBinaryContentAs(jar);

        Thread.sleep(1100);
        Run second = bootstrap(install("--memory-max", "2G", "--jvm-opts", "-Xmx1500m -XX:+ExitOnOutOfMemoryError", "--failures", "4",
                "--setting", "metrics=cloudwatch:DdbReplicator").toArray(String[]::new));

        assertThat(second.status()).as(second.output()).isZero();
        assertThat(second.output()).endsWith("nothing changed\n").doesNotContain("wrote:", "installed:", "daemon-reload");
        assertThat(modified()).as("no file touched by the second run").isEqualTo(written);
    }

    @Test
    void aNewJarReplacesTheInstalledOneAndKeepsItForRollback() throws Exception {
        bootstrap(install().toArray(String[]::new));
        Path newer = work.resolve("newer.jar");
        Files.write(newer, new byte[] {'P', 'K', 3, 4, 9, 9});

        Run run = bootstrap("--root", root.toString(), "--jar", newer.toString());

        assertThat(run.status()).as(run.output()).isZero();
        assertThat(run.output()).contains("installed: " + newer).doesNotContain("worker.properties");
        assertThat(root.resolve("opt/ddb-replicator/replicator-kcl.jar")).hasSameBinaryContentAs(newer);
        assertThat(root.resolve("opt/ddb-replicator/replicator-kcl.jar.previous")).hasSameBinaryContentAs(jar);
        assertThat(read("etc/ddb-replicator/worker.properties")).as("settings kept").contains("pair = orders");
    }

    @Test
    void aScheduledBackupGetsItsOwnTimer() throws Exception {
        Run run = bootstrap(install("--backup-schedule", "*-*-* 03:00:00", "--backup-args", "--pair orders --bucket my-backups",
                "--cli-jar", jar.toString()).toArray(String[]::new));

        assertThat(run.status()).as(run.output()).isZero();
        assertThat(read("etc/systemd/system/ddb-replicator-backup.timer")).contains("OnCalendar=*-*-* 03:00:00", "Persistent=true");
        assertThat(read("etc/systemd/system/ddb-replicator-backup.service"))
                .contains("-jar /opt/ddb-replicator/ddb-replicator.jar backup run --pair orders --bucket my-backups");
        assertThat(root.resolve("opt/ddb-replicator/ddb-replicator.jar")).exists();
    }

    @Test
    void badArgumentsExitTwoWithOneLineSayingWhatToFix() throws Exception {
        assertBad(List.of("--root", root.toString(), "--pair", "orders", "--dead-letter-bucket", "b"), "--jar is needed on the first run");
        assertBad(install("--failures", "0"), "--failures must be a whole number");
        assertBad(install("--memory-max", "lots"), "--memory-max must look like 1536M or 2G");
        assertBad(install("--frobnicate"), "unknown option '--frobnicate'");
        assertBad(List.of("--root", root.toString(), "--jar", jar.toString()), "no settings yet");
        assertBad(install("--backup-schedule", "daily"), "--backup-schedule needs --backup-args");
        assertBad(List.of("--root", "relative/dir"), "--root must be an absolute path");
    }

    @Test
    void theHealthCheckRestartsTheWorkerAfterTheGivenNumberOfFailuresInARow() throws Exception {
        int port = FreePorts.next();
        bootstrap(install("--health-port", Integer.toString(port), "--failures", "2").toArray(String[]::new));
        Path check = root.resolve("opt/ddb-replicator/bin/health-check");
        Path bin = Files.createDirectories(work.resolve("bin"));
        Path calls = work.resolve("systemctl.calls");
        // A systemctl that says the worker is active and records every call.
        Files.writeString(bin.resolve("systemctl"), "#!/usr/bin/env bash\necho \"$*\" >> " + calls + "\n"
                + "[[ \"$1\" == is-active && -f " + work.resolve("stopped") + " ]] && exit 3\nexit 0\n");
        bin.resolve("systemctl").toFile().setExecutable(true);
        Map<String, String> env = Map.of("PATH", bin + ":" + System.getenv("PATH"), "DDB_REPLICATOR_HEALTH_STATE", work.resolve("state").toString());

        Run firstFailure = run(env, List.of(check.toString()));
        assertThat(firstFailure.output()).contains("health check 1/2 failed");
        assertThat(restarts(calls)).isZero();

        Run secondFailure = run(env, List.of(check.toString()));
        assertThat(secondFailure.output()).contains("restarting ddb-replicator-kcl.service after 2 failed health checks in a row");
        assertThat(restarts(calls)).isEqualTo(1);

        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        int[] status = {503};
        server.createContext("/health", exchange -> {
            exchange.sendResponseHeaders(status[0], -1);
            exchange.close();
        });
        server.start();
        try {
            run(env, List.of(check.toString()));
            status[0] = 200;
            run(env, List.of(check.toString()));
            status[0] = 503;
            Run afterSuccess = run(env, List.of(check.toString()));
            assertThat(afterSuccess.output()).as("a success resets the count").contains("health check 1/2 failed");
            assertThat(restarts(calls)).isEqualTo(1);

            Files.writeString(work.resolve("stopped"), "");
            run(env, List.of(check.toString()));
            run(env, List.of(check.toString()));
            assertThat(restarts(calls)).as("a worker stopped by an operator is left alone").isEqualTo(1);
        } finally {
            server.stop(0);
        }
    }

    private void assertBad(List<String> args, String message) throws Exception {
        Run run = bootstrap(args.toArray(String[]::new));
        assertThat(run.status()).as(run.output()).isEqualTo(2);
        assertThat(run.output()).startsWith("bootstrap-ec2.sh: ").contains(message).hasLineCount(1);
    }

    private static long restarts(Path calls) throws IOException {
        if (!Files.exists(calls)) {
            return 0;
        }
        return Files.readAllLines(calls).stream().filter(line -> line.startsWith("restart ")).count();
    }

    private String read(String path) throws IOException {
        return Files.readString(root.resolve(path));
    }

    private Map<Path, FileTime> modified() throws IOException {
        Map<Path, FileTime> times = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                times.put(file, Files.getLastModifiedTime(file));
            }
        }
        return times;
    }

    private static Run run(Map<String, String> env, List<String> command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), output);
    }
}
