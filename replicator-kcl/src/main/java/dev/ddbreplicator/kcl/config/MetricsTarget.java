package dev.ddbreplicator.kcl.config;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where metrics go besides {@code /metrics}: nowhere, or CloudWatch under a namespace.
 *
 * @param cloudWatchNamespace the CloudWatch namespace; empty means CloudWatch is off
 */
public record MetricsTarget(Optional<String> cloudWatchNamespace) {

    private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9.\\-_/#:]{1,255}");

    public MetricsTarget {
        cloudWatchNamespace.ifPresent(ns -> {
            if (!NAMESPACE.matcher(ns).matches() || ns.startsWith("AWS/")) {
                throw new ConfigException(Option.METRICS, "'" + ns + "' is not a CloudWatch namespace"
                        + " (1-255 of A-Z a-z 0-9 . - _ / # :, not starting with AWS/)");
            }
        });
    }

    public static MetricsTarget off() {
        return new MetricsTarget(Optional.empty());
    }

    /** Reads {@code off} or {@code cloudwatch:NAMESPACE}. */
    public static MetricsTarget parse(String text) {
        String value = text.trim();
        if (value.equalsIgnoreCase("off") || value.equalsIgnoreCase("none")) {
            return off();
        }
        if (value.regionMatches(true, 0, "cloudwatch:", 0, "cloudwatch:".length())) {
            return new MetricsTarget(Optional.of(value.substring("cloudwatch:".length())));
        }
        throw new ConfigException(Option.METRICS, "expected 'off' or 'cloudwatch:NAMESPACE', got '" + text + "'");
    }

    public boolean cloudWatch() {
        return cloudWatchNamespace.isPresent();
    }

    @Override
    public String toString() {
        return cloudWatchNamespace.map(ns -> "cloudwatch:" + ns).orElse("off");
    }
}
