package dev.ddbreplicator.cli;

import dev.ddbreplicator.core.aws.AwsSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/**
 * {@code kcl run --pair ID [worker options]}: the KCL worker of {@code replicator-kcl} in the
 * foreground, with this command's region and endpoints passed on. Stops gracefully on Ctrl-C or
 * SIGTERM.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run the KCL worker for a pair in the foreground until Ctrl-C or SIGTERM (then the batches in flight finish "
                + "and are checkpointed). Serves /health, /ready and /metrics.",
                "The global --region, --endpoint, --s3-endpoint and --local are passed on to the worker; every other option is a worker "
                        + "option (below). --dead-letter-bucket defaults to $" + DlqOptions.BUCKET_VARIABLE + ".",
                "Exit 143 when stopped by SIGTERM or Ctrl-C (the batches in flight finished and were checkpointed; "
                        + "systemd counts it as a clean stop), 1 when the worker failed, 2 for bad settings."})
final class KclRunCommand extends Verb {

    static final String COMMAND = "ddb-replicator kcl run";

    @Option(names = "--pair", required = true, paramLabel = "ID", description = "The registered pair to replicate.")
    String pairId;

    @Unmatched
    List<String> workerOptions = new ArrayList<>();

    @Override
    protected Result execute(Environment env) {
        // Before the first logger exists: the worker's own lines at info, KCL's only when they matter.
        setIfAbsent("org.slf4j.simpleLogger.log.dev.ddbreplicator", "info");
        setIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
        List<String> args = workerArgs(env, pairId, workerOptions);
        int code = dev.ddbreplicator.kcl.Main.run(args.toArray(String[]::new), env.output().out(), env.output().err(), COMMAND);
        Status status = code == 0 ? Status.SUCCESS : code == 2 ? Status.BAD_REQUEST : Status.ERROR;
        if (env.output().json()) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("pair", pairId);
            data.put("exitCode", code);
            env.output().out().println(Output.toJson(new Result(status, code == 0 ? "KCL worker for " + pairId + " stopped"
                    : "KCL worker for " + pairId + " ended with exit status " + code + " (see stderr)", data, "")));
        }
        // The worker has said on stderr what went wrong.
        return Result.printed(status);
    }

    /** The worker's command line: the pair, this command's region and endpoints, then the worker options as given. */
    static List<String> workerArgs(Environment env, String pairId, List<String> workerOptions) {
        List<String> args = new ArrayList<>(List.of("--pair", pairId, "--region", env.region()));
        AwsSettings settings = env.settings();
        settings.endpoints().forEach((region, url) -> args.addAll(List.of("--endpoint", region + "=" + url)));
        settings.s3Endpoint().ifPresent(url -> args.addAll(List.of("--s3-endpoint", url.toString())));
        String bucket = env.variables().get(DlqOptions.BUCKET_VARIABLE);
        if (bucket != null && !bucket.isBlank() && workerOptions.stream().noneMatch(o -> o.startsWith("--dead-letter-bucket"))) {
            args.addAll(List.of("--dead-letter-bucket", bucket));
        }
        args.addAll(workerOptions);
        return args;
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
