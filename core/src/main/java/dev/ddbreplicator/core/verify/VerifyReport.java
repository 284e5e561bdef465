package dev.ddbreplicator.core.verify;

import dev.ddbreplicator.core.model.ItemKey;
import java.util.List;

/**
 * What a verify found. Items that differed in the scans but agreed when read again are counted
 * as {@code settled} (changes in flight), not as differences.
 *
 * @param missingKeys every key the source has and the replica lacks (the examples are its first few)
 * @param extraKeys every key the replica has and the source lacks
 * @param differentKeys every key whose items differ
 */
public record VerifyReport(long sourceItems, long replicaItems, long settled, List<ItemKey> missingKeys, List<ItemKey> extraKeys,
                           List<ItemKey> differentKeys, int examples) {

    public VerifyReport {
        missingKeys = List.copyOf(missingKeys);
        extraKeys = List.copyOf(extraKeys);
        differentKeys = List.copyOf(differentKeys);
    }

    public boolean isEqual() {
        return missingKeys.isEmpty() && extraKeys.isEmpty() && differentKeys.isEmpty();
    }

    public long missing() {
        return missingKeys.size();
    }

    public long extra() {
        return extraKeys.size();
    }

    public long different() {
        return differentKeys.size();
    }

    public List<ItemKey> missingExamples() {
        return missingKeys.subList(0, Math.min(examples, missingKeys.size()));
    }

    public List<ItemKey> extraExamples() {
        return extraKeys.subList(0, Math.min(examples, extraKeys.size()));
    }

    public List<ItemKey> differentExamples() {
        return differentKeys.subList(0, Math.min(examples, differentKeys.size()));
    }

    @Override
    public String toString() {
        return "source=" + sourceItems + " replica=" + replicaItems + " missing=" + missing() + " " + missingExamples()
                + " extra=" + extra() + " " + extraExamples() + " different=" + different() + " " + differentExamples()
                + " settled-on-recheck=" + settled;
    }
}
