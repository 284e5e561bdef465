package dev.ddbreplicator.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Prints a verb's result: for a person, its text on stdout; with {@code --json}, one object
 * {@code {"status","message","data"}} on stdout. Whatever the mode, a failure also puts one line
 * on stderr that says what to fix.
 */
final class Output {

    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private final PrintStream out;
    private final PrintStream err;
    private final boolean json;

    Output(PrintStream out, PrintStream err, boolean json) {
        this.out = out;
        this.err = err;
        this.json = json;
    }

    boolean json() {
        return json;
    }

    PrintStream out() {
        return out;
    }

    PrintStream err() {
        return err;
    }

    /** Where progress and notes go: stdout for a person, stderr when stdout carries the JSON answer. */
    PrintStream progress() {
        return json ? err : out;
    }

    /** Prints the result and returns the exit code. */
    int print(String command, Result result) {
        if (result.message() == null) {
            return result.status().exitCode();
        }
        if (json) {
            out.println(toJson(result));
        } else if (!result.text().isEmpty()) {
            out.print(result.text().endsWith("\n") ? result.text() : result.text() + "\n");
        } else if (result.status().isOk()) {
            out.println(result.message());
        }
        if (!result.status().isOk()) {
            err.println(command + ": " + oneLine(result.message()));
        }
        out.flush();
        err.flush();
        return result.status().exitCode();
    }

    static String toJson(Result result) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("status", result.status().json());
        answer.put("message", result.message());
        answer.put("data", result.data());
        try {
            return JSON.writeValueAsString(answer);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render the answer as JSON: " + e.getMessage(), e);
        }
    }

    static String oneLine(String message) {
        return message == null ? "failed" : message.replaceAll("\\s*\\R\\s*", " ").trim();
    }
}
