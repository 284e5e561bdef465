package dev.ddbreplicator.backup;

/**
 * A backup, restore or prune started and could not finish: AWS kept failing, a write was refused,
 * the process was interrupted. The caller should report the message and exit with the failure code
 * (1). A failed backup leaves no manifest, so it never counts as a backup; run it again. A failed
 * restore keeps its checkpoint: running the same restore again resumes it.
 */
public class BackupFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public BackupFailedException(String message) {
        super(message);
    }

    public BackupFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
