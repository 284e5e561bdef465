package dev.ddbreplicator.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The command line of {@link BenchMain}.
 *
 * @param quick smaller workloads and fewer runs (about a third of the time)
 * @param sections which parts to run, in order
 * @param kclJar the KCL worker's runnable jar
 * @param lambdaJar the Lambda deployment jar
 * @param kclJvmFlags JVM flags of the KCL worker
 * @param kclSettings extra flags of the KCL worker, e.g. {@code --poll-interval 500ms}
 * @param logDir where the child processes' logs go
 */
public record BenchOptions(boolean quick, List<String> sections, Path kclJar, Path lambdaJar, List<String> kclJvmFlags,
                           List<String> kclSettings, Path logDir) {

    /** The worker's JVM flags recommended in docs/kcl-worker.md and set by scripts/bootstrap-ec2.sh. */
    public static final String DEFAULT_KCL_FLAGS = "-Xms256m -Xmx1g -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError";

    static final String USAGE = """
            usage: BenchMain [--quick] [--only SECTION,...] [--kcl-jar JAR] [--lambda-jar JAR] [--kcl-jvm-flags "FLAGS"] [--kcl-settings "FLAGS"] [--log-dir DIR]
              sections: %s (default: all)
            """.formatted(String.join(",", BenchMain.SECTIONS));

    public BenchOptions {
        sections = List.copyOf(sections);
        kclJvmFlags = List.copyOf(kclJvmFlags);
        kclSettings = List.copyOf(kclSettings);
    }

    static BenchOptions parse(String... args) {
        boolean quick = false;
        List<String> sections = new ArrayList<>(BenchMain.SECTIONS);
        Path kclJar = Path.of("replicator-kcl/target/replicator-kcl.jar");
        Path lambdaJar = Path.of("replicator-lambda/target/ddb-replicator-lambda.jar");
        String kclFlags = DEFAULT_KCL_FLAGS;
        String kclSettings = "";
        Path logDir = Path.of("bench/target/bench-logs");
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--quick" -> quick = true;
                case "--only" -> {
                    sections = Arrays.stream(value(args, ++i, arg).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
                    for (String section : sections) {
                        if (!BenchMain.SECTIONS.contains(section)) {
                            throw new IllegalArgumentException("--only: unknown section '" + section + "'; known: " + BenchMain.SECTIONS);
                        }
                    }
                }
                case "--kcl-jar" -> kclJar = Path.of(value(args, ++i, arg));
                case "--lambda-jar" -> lambdaJar = Path.of(value(args, ++i, arg));
                case "--kcl-jvm-flags" -> kclFlags = value(args, ++i, arg);
                case "--kcl-settings" -> {
                    // its value starts with dashes itself
                    if (++i >= args.length) {
                        throw new IllegalArgumentException(arg + " needs a value");
                    }
                    kclSettings = args[i];
                }
                case "--log-dir" -> logDir = Path.of(value(args, ++i, arg));
                default -> throw new IllegalArgumentException("unknown argument '" + arg + "'");
            }
        }
        if (sections.contains("kcl") && !Files.isRegularFile(kclJar)) {
            throw new IllegalArgumentException("--kcl-jar: no file " + kclJar + " (build it: mvn -pl replicator-kcl -am package -DskipTests)");
        }
        if (sections.contains("coldstart") && !Files.isRegularFile(lambdaJar)) {
            throw new IllegalArgumentException("--lambda-jar: no file " + lambdaJar
                    + " (build it: mvn -pl replicator-lambda -am package -DskipTests)");
        }
        List<String> flags = kclFlags.isBlank() ? List.of() : Arrays.asList(kclFlags.trim().split("\\s+"));
        List<String> settings = kclSettings.isBlank() ? List.of() : Arrays.asList(kclSettings.trim().split("\\s+"));
        return new BenchOptions(quick, sections, kclJar, lambdaJar, flags, settings, logDir);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
