package dev.ddbreplicator.backup;

/**
 * An export cannot be trusted: a manifest is missing or malformed, a checksum does not match, a
 * data file is not valid gzip or holds a line that is not {@code {"Item":{...}}}, counts disagree.
 * Raised before anything is written. Running again does not help: restore another export.
 */
public final class CorruptExportException extends BackupFailedException {

    private static final long serialVersionUID = 1L;

    public CorruptExportException(String message) {
        super(message);
    }

    public CorruptExportException(String message, Throwable cause) {
        super(message, cause);
    }
}
