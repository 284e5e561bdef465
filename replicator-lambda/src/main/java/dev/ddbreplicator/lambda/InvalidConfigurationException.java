package dev.ddbreplicator.lambda;

/**
 * A deployment setting is missing or wrong: the function cannot start. Fix the named environment
 * variable (in the SAM template or its parameters) and deploy again; retrying does not help.
 */
public final class InvalidConfigurationException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String variable;

    InvalidConfigurationException(String variable, String problem, String value) {
        super(variable + " " + problem + (value == null ? "" : ", got: '" + value + "'"));
        this.variable = variable;
    }

    InvalidConfigurationException(String variable, String message) {
        super(variable + ": " + message);
        this.variable = variable;
    }

    /** The environment variable at fault. */
    public String variable() {
        return variable;
    }
}
