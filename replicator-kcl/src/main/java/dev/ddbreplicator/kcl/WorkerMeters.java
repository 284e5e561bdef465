package dev.ddbreplicator.kcl;

import dev.ddbreplicator.kcl.config.MetricsTarget;
import io.micrometer.cloudwatch2.CloudWatchConfig;
import io.micrometer.cloudwatch2.CloudWatchMeterRegistry;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;

/**
 * The worker's meter registries: Prometheus for {@code /metrics}, always, and CloudWatch when
 * configured; every meter goes to both through one composite.
 */
final class WorkerMeters implements AutoCloseable {

    private final CompositeMeterRegistry composite = new CompositeMeterRegistry();
    private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Optional<CloudWatchMeterRegistry> cloudWatch;

    WorkerMeters(MetricsTarget target, CloudWatchAsyncClient client) {
        composite.add(prometheus);
        cloudWatch = target.cloudWatchNamespace().map(namespace -> new CloudWatchMeterRegistry(new CloudWatchConfig() {
            @Override
            public String get(String key) {
                return null;
            }

            @Override
            public String namespace() {
                return namespace;
            }

            @Override
            public Duration step() {
                return Duration.ofMinutes(1);
            }
        }, Clock.SYSTEM, client));
        cloudWatch.ifPresent(composite::add);
        new JvmMemoryMetrics().bindTo(composite);
        new JvmThreadMetrics().bindTo(composite);
        new ProcessorMetrics().bindTo(composite);
        new UptimeMetrics().bindTo(composite);
    }

    /** Where the worker's meters are registered. */
    MeterRegistry registry() {
        return composite;
    }

    PrometheusMeterRegistry prometheus() {
        return prometheus;
    }

    /** Publishes what CloudWatch has not received yet, then stops. */
    @Override
    public void close() {
        cloudWatch.ifPresent(CloudWatchMeterRegistry::close);
        composite.close();
    }
}
