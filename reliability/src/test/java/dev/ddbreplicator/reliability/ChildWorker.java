package dev.ddbreplicator.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A KCL worker ({@code dev.ddbreplicator.kcl.Main}, as the jar runs it) in a JVM of its own, on this
 * module's class path, so that it can be killed with SIGKILL or frozen with SIGSTOP like a real
 * process. Each start appends to one log file per worker.
 */
final class ChildWorker implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Pattern LEASES = Pattern.compile("\"leasesHeld\":(\\d+)");

    final String id;
    final int port;
    final Path log;
    private final List<String> args;
    private final Map<String, String> environment;
    private final List<String> properties;
    private String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    private Process process;
    private int starts;

    /**
     * @param properties {@code -D} flags for the JVM (the probe's settings)
     */
    ChildWorker(String id, int port, Path log, List<String> args, Map<String, String> environment, List<String> properties) {
        this.id = id;
        this.port = port;
        this.log = log;
        this.args = List.copyOf(args);
        this.environment = Map.copyOf(environment);
        this.properties = List.copyOf(properties);
    }

    ChildWorker start() {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        command.addAll(properties);
        command.addAll(List.of("-cp", classPath, "dev.ddbreplicator.kcl.Main"));
        command.addAll(args);
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(log, "=== start " + (++starts) + " of " + id + "\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(environment);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /**
     * Runs the worker from copies of the class path's jars: for runs of an hour on a machine where others
     * may install new builds of the same modules meanwhile (a jar replaced under a running JVM breaks it).
     */
    ChildWorker fromCopiedJars(Path dir) throws IOException {
        Files.createDirectories(dir);
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (String entry : classPath.split(java.io.File.pathSeparator)) {
            Path path = Path.of(entry);
            if (entry.endsWith(".jar") && Files.isRegularFile(path)) {
                Path copy = dir.resolve((n++) + "-" + path.getFileName());
                Files.copy(path, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                entries.add(copy.toString());
            } else {
                entries.add(entry);
            }
        }
        classPath = String.join(java.io.File.pathSeparator, entries);
        return this;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL, as a lost host or the OOM killer: no shutdown hook, no checkpoint. */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        return process.exitValue();
    }

    /** SIGSTOP: every thread freezes, lease renewals too, as in a long GC pause or a frozen VM. */
    void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT. */
    void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + name + " " + pid() + " failed");
        }
    }

    /** SIGTERM, without waiting. */
    void terminate() {
        if (process != null && process.isAlive()) {
            process.destroy();
        }
    }

    /** SIGTERM and wait: the graceful stop. */
    int stop() throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return process == null ? -1 : process.exitValue();
        }
        process.destroy();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        return process.exitValue();
    }

    /** The body of an endpoint, or empty when the worker does not answer 200. */
    String get(String path) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    boolean ready() {
        return !get("/ready").isEmpty();
    }

    /** Leases held, as /health says; -1 when it does not answer. */
    int leasesHeld() {
        Matcher matcher = LEASES.matcher(get("/health"));
        return matcher.find() ? Integer.parseInt(matcher.group(1)) : -1;
    }

    boolean awaitReady(Duration timeout) throws InterruptedException {
        return await(this::ready, timeout);
    }

    boolean awaitLease(Duration timeout) throws InterruptedException {
        return await(() -> leasesHeld() > 0, timeout);
    }

    static boolean await(java.util.function.BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(250);
        }
        return condition.getAsBoolean();
    }

    String logText() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String logTail() {
        List<String> lines = logText().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            try {
                resume();
            } catch (IOException | InterruptedException | IllegalStateException ignored) {
                // it may not be stopped
            }
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
