package dev.ddbreplicator.bench;

import java.util.ArrayList;
import java.util.List;

/** The benchmark's summary: one row per figure, with its goal and whether the goal is met. */
public final class ResultTable {

    /** Whether a row's goal is met; INFO rows have no goal. */
    public enum Verdict {
        MET("yes"), NOT_MET("NO"), INFO("");

        private final String text;

        Verdict(String text) {
            this.text = text;
        }
    }

    /** One row. */
    public record Row(String figure, String value, String goal, Verdict verdict, String detail) {
    }

    private final List<Row> rows = new ArrayList<>();

    public void add(String figure, String value, String goal, boolean met, String detail) {
        rows.add(new Row(figure, value, goal, met ? Verdict.MET : Verdict.NOT_MET, detail));
    }

    public void info(String figure, String value, String detail) {
        rows.add(new Row(figure, value, "", Verdict.INFO, detail));
    }

    public List<Row> rows() {
        return List.copyOf(rows);
    }

    /** The table as Markdown, so it can be pasted into BENCHMARKS.md as printed. */
    public String toMarkdown() {
        StringBuilder out = new StringBuilder();
        out.append("| figure | value | goal | met | detail |\n|---|---|---|---|---|\n");
        for (Row row : rows) {
            out.append("| ").append(row.figure()).append(" | ").append(row.value()).append(" | ").append(row.goal()).append(" | ")
                    .append(row.verdict().text).append(" | ").append(row.detail()).append(" |\n");
        }
        return out.toString();
    }
}
