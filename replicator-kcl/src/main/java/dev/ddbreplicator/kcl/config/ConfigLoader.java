package dev.ddbreplicator.kcl.config;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Reads the flags and the configuration file into a {@link WorkerConfig}: a flag wins over the
 * file, the file over the defaults. Unknown flags and keys are errors, so a typo never silently
 * leaves a default in place.
 */
final class ConfigLoader {

    private ConfigLoader() {
    }

    static WorkerConfig load(String[] args, Map<String, String> env) {
        Map<Option, List<String>> flags = parseFlags(args);
        Map<Option, List<String>> file = flags.containsKey(Option.CONFIG)
                ? readFile(Path.of(flags.get(Option.CONFIG).get(0)))
                : Map.of();
        Map<Option, List<String>> merged = new EnumMap<>(Option.class);
        merged.putAll(file);
        merged.putAll(flags);
        if (file.containsKey(Option.ENDPOINT) && flags.containsKey(Option.ENDPOINT)) {
            List<String> both = new ArrayList<>(file.get(Option.ENDPOINT));
            both.addAll(flags.get(Option.ENDPOINT));
            merged.put(Option.ENDPOINT, both);
        }
        return build(new Values(merged), env);
    }

    private static WorkerConfig build(Values values, Map<String, String> env) {
        Optional<String> pairId = values.text(Option.PAIR);
        Optional<ExplicitPair> explicit = explicitPair(values);
        String region = values.text(Option.REGION)
                .or(() -> Optional.ofNullable(env.get("AWS_REGION")).filter(s -> !s.isBlank()))
                .or(() -> Optional.ofNullable(env.get("AWS_DEFAULT_REGION")).filter(s -> !s.isBlank()))
                .or(() -> explicit.map(ExplicitPair::sourceRegion))
                .orElseThrow(() -> new ConfigException(Option.REGION, "missing; give --region (where the control table lives)"
                        + " or set AWS_REGION"));
        return new WorkerConfig(
                pairId,
                explicit,
                region,
                values.text(Option.CONTROL_TABLE).orElse("ddb-replicator-pairs"),
                values.text(Option.APPLICATION_NAME),
                values.text(Option.INITIAL_POSITION).map(ConfigLoader::position).orElse(StartPosition.TRIM_HORIZON),
                values.integer(Option.MAX_RECORDS).orElse(1000),
                values.duration(Option.POLL_INTERVAL).orElse(WorkerConfig.DEFAULT_POLL_INTERVAL),
                values.integer(Option.WRITER_CONCURRENCY).orElse(32),
                values.integer(Option.HEALTH_PORT).orElse(8080),
                values.duration(Option.HEALTH_MAX_SILENCE).orElse(Duration.ofSeconds(60)),
                values.text(Option.METRICS).map(MetricsTarget::parse).orElse(MetricsTarget.off()),
                endpoints(values.all(Option.ENDPOINT)),
                values.text(Option.S3_ENDPOINT).map(s -> uri(Option.S3_ENDPOINT, s)),
                values.text(Option.DEAD_LETTER_BUCKET).orElse(""),
                values.text(Option.DEAD_LETTER_PREFIX).orElse(""),
                values.text(Option.DEAD_LETTER_REGION).orElse(region),
                values.duration(Option.LEASE_FAILOVER).orElse(Duration.ofSeconds(10)),
                values.text(Option.WORKER_ID),
                values.duration(Option.SHUTDOWN_TIMEOUT).orElse(Duration.ofSeconds(60)));
    }

    private static Optional<ExplicitPair> explicitPair(Values values) {
        List<Option> parts = List.of(Option.SOURCE_TABLE, Option.SOURCE_REGION, Option.REPLICA_TABLE, Option.REPLICA_REGION);
        if (parts.stream().noneMatch(values::has)) {
            values.text(Option.REPLICA_ROLE_ARN).ifPresent(arn -> {
                throw new ConfigException(Option.REPLICA_ROLE_ARN, "only for an explicit pair; a registered pair carries its own role");
            });
            return Optional.empty();
        }
        for (Option part : parts) {
            if (!values.has(part)) {
                throw new ConfigException(part, "missing; an explicit pair needs source-table, source-region, replica-table and"
                        + " replica-region");
            }
        }
        return Optional.of(new ExplicitPair(values.text(Option.SOURCE_TABLE).orElseThrow(), values.text(Option.SOURCE_REGION).orElseThrow(),
                values.text(Option.REPLICA_TABLE).orElseThrow(), values.text(Option.REPLICA_REGION).orElseThrow(),
                values.text(Option.REPLICA_ROLE_ARN)));
    }

    private static StartPosition position(String text) {
        try {
            return StartPosition.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(Option.INITIAL_POSITION, "expected TRIM_HORIZON or LATEST, got '" + text + "'");
        }
    }

    private static Map<String, URI> endpoints(List<String> entries) {
        Map<String, URI> endpoints = new LinkedHashMap<>();
        for (String entry : entries) {
            for (String part : entry.split(",")) {
                String trimmed = part.trim();
                if (trimmed.isEmpty()) {
                    continue;
                }
                int equals = trimmed.indexOf('=');
                if (equals <= 0 || equals == trimmed.length() - 1) {
                    throw new ConfigException(Option.ENDPOINT, "expected REGION=URL, got '" + trimmed + "'");
                }
                endpoints.put(trimmed.substring(0, equals).trim(), uri(Option.ENDPOINT, trimmed.substring(equals + 1).trim()));
            }
        }
        return endpoints;
    }

    private static URI uri(Option option, String text) {
        try {
            return new URI(text.trim());
        } catch (URISyntaxException e) {
            throw new ConfigException(option, "'" + text + "' is not a URL");
        }
    }

    // Messages here end without "(see --help)": Main adds it to every one (issue 7 found it said twice).
    private static Map<Option, List<String>> parseFlags(String[] args) {
        Map<Option, List<String>> flags = new EnumMap<>(Option.class);
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new ConfigException(arg, "unexpected argument; options look like --name VALUE");
            }
            String name = arg.substring(2);
            String value = null;
            int equals = name.indexOf('=');
            if (equals >= 0) {
                value = name.substring(equals + 1);
                name = name.substring(0, equals);
            }
            String key = name;
            Option option = Option.byKey(key).orElseThrow(() -> new ConfigException("--" + key, "unknown option"));
            if (value == null) {
                if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                    throw new ConfigException(option, "needs a value (" + option.placeholder() + ")");
                }
                value = args[++i];
            }
            List<String> list = flags.computeIfAbsent(option, o -> new ArrayList<>());
            if (!option.repeatable() && !list.isEmpty()) {
                throw new ConfigException(option, "given twice");
            }
            list.add(value);
        }
        return flags;
    }

    private static Map<Option, List<String>> readFile(Path path) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new ConfigException(Option.CONFIG, "cannot read " + path + " (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ")");
        } catch (IllegalArgumentException e) {
            // Issue 7: a malformed unicode escape in the file failed the start with exit status 1 and an exception's name.
            throw new ConfigException(Option.CONFIG, "cannot read " + path + ": " + e.getMessage());
        }
        Map<Option, List<String>> values = new EnumMap<>(Option.class);
        for (String key : properties.stringPropertyNames()) {
            Option option = Option.byKey(key).orElseThrow(() -> new ConfigException(key, "unknown setting in " + path));
            if (option == Option.CONFIG) {
                throw new ConfigException(option, "only as a flag, not inside " + path);
            }
            values.put(option, List.of(unquote(properties.getProperty(key).trim())));
        }
        return values;
    }

    /** Quotes around a value are YAML's, not part of it. */
    private static String unquote(String value) {
        if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }

    /** The merged raw values, read as the types the settings need. */
    private record Values(Map<Option, List<String>> raw) {

        boolean has(Option option) {
            return text(option).isPresent();
        }

        Optional<String> text(Option option) {
            List<String> list = raw.get(option);
            if (list == null || list.isEmpty()) {
                return Optional.empty();
            }
            String value = list.get(list.size() - 1).trim();
            return value.isEmpty() ? Optional.empty() : Optional.of(value);
        }

        List<String> all(Option option) {
            return raw.getOrDefault(option, List.of());
        }

        Optional<Integer> integer(Option option) {
            return text(option).map(s -> {
                try {
                    return Integer.parseInt(s);
                } catch (NumberFormatException e) {
                    throw new ConfigException(option, "expected a whole number, got '" + s + "'");
                }
            });
        }

        Optional<Duration> duration(Option option) {
            return text(option).map(s -> Durations.parse(option, s));
        }
    }
}
