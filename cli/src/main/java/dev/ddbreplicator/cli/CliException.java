package dev.ddbreplicator.cli;

/** Ends a verb with a status and a message that says what to fix. */
final class CliException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Status status;

    private CliException(Status status, String message) {
        super(message);
        this.status = status;
    }

    /** Bad usage or input (exit 2). */
    static CliException badRequest(String message) {
        return new CliException(Status.BAD_REQUEST, message);
    }

    /** A named thing does not exist (exit 2). */
    static CliException notFound(String message) {
        return new CliException(Status.NOT_FOUND, message);
    }

    /** The operation failed (exit 1). */
    static CliException failed(String message) {
        return new CliException(Status.ERROR, message);
    }

    Status status() {
        return status;
    }

    Result result() {
        return new Result(status, getMessage(), null, "");
    }
}
