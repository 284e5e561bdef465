package dev.ddbreplicator.testkit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension that runs one DynamoDB Local server per named region for the test class.
 * Register it on a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final LocalRegionsExtension AWS = LocalRegionsExtension.of("us-east-1", "eu-west-1");
 * }</pre>
 *
 * Use {@link #persistent()} when a test stops and restarts a region and needs its tables back.
 */
public final class LocalRegionsExtension implements BeforeAllCallback, AfterAllCallback {

    private final List<String> names;
    private final boolean persistent;
    private final Map<String, LocalRegion> regions = new LinkedHashMap<>();

    private LocalRegionsExtension(List<String> names, boolean persistent) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("at least one region is needed");
        }
        this.names = List.copyOf(names);
        this.persistent = persistent;
    }

    /** Regions kept in memory: fastest, but a stopped region loses its tables. */
    public static LocalRegionsExtension of(String... names) {
        return new LocalRegionsExtension(List.of(names), false);
    }

    /** The same regions, keeping their tables on disk so that a restart keeps them. */
    public LocalRegionsExtension persistent() {
        return new LocalRegionsExtension(names, true);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        for (String name : names) {
            regions.put(name, persistent ? LocalRegion.persistent(name) : LocalRegion.inMemory(name));
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        regions.values().forEach(LocalRegion::close);
        regions.clear();
    }

    /** The running region of that name. */
    public LocalRegion region(String name) {
        LocalRegion region = regions.get(name);
        if (region == null) {
            throw new IllegalArgumentException("no local region " + name + "; started: " + regions.keySet());
        }
        return region;
    }

    /** The first region named: by convention the source. */
    public LocalRegion source() {
        return region(names.get(0));
    }

    /** The second region named: by convention the replica. */
    public LocalRegion replica() {
        return region(names.get(names.size() > 1 ? 1 : 0));
    }
}
