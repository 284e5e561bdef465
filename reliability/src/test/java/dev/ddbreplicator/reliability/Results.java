package dev.ddbreplicator.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * Appends one line per attack to {@code target/reliability/results.tsv}: what was done, under what
 * load, what came of it, and how many items were lost. RELIABILITY.md is written from these lines.
 */
final class Results {

    private Results() {
    }

    static synchronized void record(String attack, String load, String outcome, long itemsLost) {
        String line = String.join("\t", Instant.now().toString(), attack, load, outcome, Long.toString(itemsLost)) + "\n";
        System.out.print("RESULT " + line);
        Path file = Path.of(System.getProperty("reliability.reports", "target/reliability"), "results.tsv");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
