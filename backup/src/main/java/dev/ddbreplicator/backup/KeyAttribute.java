package dev.ddbreplicator.backup;

import java.util.Locale;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * One key attribute of a table to create: its name and type, as given on the command line for native
 * exports, which carry no table description ({@code --partition-key Id:N --sort-key Sk:S}).
 */
public record KeyAttribute(String name, ScalarAttributeType type) {

    public KeyAttribute {
        if (name == null || name.isEmpty() || name.length() > 255) {
            throw new BackupUsageException("", "a key attribute name must be 1-255 characters");
        }
        if (type == null || type == ScalarAttributeType.UNKNOWN_TO_SDK_VERSION) {
            throw new BackupUsageException("", "key attribute " + name + " needs a type S, N or B");
        }
    }

    /**
     * Parses {@code NAME:TYPE} with TYPE one of S, N, B.
     *
     * @param option the option it came from, named in the error, e.g. {@code --partition-key}
     * @throws BackupUsageException naming the option when the text is not NAME:TYPE
     */
    public static KeyAttribute parse(String option, String text) {
        int colon = text == null ? -1 : text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw BackupUsageException.of(option, "must be NAME:TYPE with TYPE S, N or B (e.g. Id:N), got '" + text + "'");
        }
        String type = text.substring(colon + 1).strip().toUpperCase(Locale.ROOT);
        if (!type.equals("S") && !type.equals("N") && !type.equals("B")) {
            throw BackupUsageException.of(option, "type must be S, N or B, got '" + type + "'");
        }
        return new KeyAttribute(text.substring(0, colon), ScalarAttributeType.fromValue(type));
    }

    @Override
    public String toString() {
        return name + ":" + type;
    }
}
