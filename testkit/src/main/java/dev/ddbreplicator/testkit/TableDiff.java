package dev.ddbreplicator.testkit;

import java.util.List;

/** The result of comparing a source table with its replica: counts and a few example keys of each kind. */
public record TableDiff(long sourceItems, long replicaItems, long missing, long extra, long different,
                        List<String> missingExamples, List<String> extraExamples, List<String> differentExamples) {

    public boolean isEqual() {
        return missing == 0 && extra == 0 && different == 0;
    }

    @Override
    public String toString() {
        return "source=" + sourceItems + " replica=" + replicaItems + " missing=" + missing + " " + missingExamples
                + " extra=" + extra + " " + extraExamples + " different=" + different + " " + differentExamples;
    }
}
