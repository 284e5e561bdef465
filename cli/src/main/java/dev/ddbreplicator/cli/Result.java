package dev.ddbreplicator.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a verb answers: a status, a one-line message (on stderr when it failed), machine-readable
 * data for {@code --json}, and the text a person reads otherwise (the message when empty).
 */
record Result(Status status, String message, Map<String, Object> data, String text) {

    Result {
        data = data == null ? Map.of() : new LinkedHashMap<>(data);
        text = text == null ? "" : text;
    }

    static Result success(String message, Map<String, Object> data, String text) {
        return new Result(Status.SUCCESS, message, data, text);
    }

    static Result success(String message, Map<String, Object> data) {
        return new Result(Status.SUCCESS, message, data, "");
    }

    static Result skipped(String message, Map<String, Object> data) {
        return new Result(Status.SKIPPED, message, data, "");
    }

    /** A result the verb has printed itself already (a server that announced itself on start). */
    static Result printed(Status status) {
        return new Result(status, null, null, "");
    }

    static Result failed(String message, Map<String, Object> data, String text) {
        return new Result(Status.ERROR, message, data, text);
    }
}
