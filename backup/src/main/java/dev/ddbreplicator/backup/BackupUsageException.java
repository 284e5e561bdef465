package dev.ddbreplicator.backup;

/**
 * The request cannot be carried out as given: a bad option value, an export that does not exist, a
 * target table that exists without {@code --into-existing}. Nothing was written. The caller should
 * show the one-line message and exit with the usage code (2); running again unchanged fails again.
 */
public final class BackupUsageException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String option;

    /**
     * @param option the command-line option at fault, e.g. {@code --rate}, or empty when no single option is
     * @param message one line saying what is wrong and, where it helps, what would be accepted
     */
    public BackupUsageException(String option, String message) {
        super(message);
        this.option = option;
    }

    /** The option at fault, e.g. {@code --keep}; empty when the fault is not one option's. */
    public String option() {
        return option;
    }

    /** A usage error whose message starts with the option, e.g. {@code --keep must be at least 1}. */
    public static BackupUsageException of(String option, String message) {
        return new BackupUsageException(option, option + " " + message);
    }
}
