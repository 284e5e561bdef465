package dev.ddbreplicator.kcl.config;

/**
 * A setting is missing or wrong. The message is one line that starts with the setting's name,
 * so an operator knows what to fix; the process exits with status 2.
 */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ConfigException(String setting, String problem) {
        super(setting + ": " + problem);
    }

    public ConfigException(Option option, String problem) {
        this(option.key(), problem);
    }
}
