package dev.ddbreplicator.cli;

/** How a verb ended: the {@code status} of its JSON answer and its exit code. */
enum Status {
    SUCCESS("success", 0),
    SKIPPED("skipped", 0),
    BAD_REQUEST("badRequest", 2),
    NOT_FOUND("notFound", 2),
    ERROR("error", 1);

    private final String json;
    private final int exitCode;

    Status(String json, int exitCode) {
        this.json = json;
        this.exitCode = exitCode;
    }

    String json() {
        return json;
    }

    int exitCode() {
        return exitCode;
    }

    boolean isOk() {
        return exitCode == 0;
    }
}
