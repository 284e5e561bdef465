package dev.ddbreplicator.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Starts embedded servers without their banners: DynamoDB Local prints its configuration on
 * standard output, which would break a {@code --json} answer, and sqlite4java warns through
 * java.util.logging about its jar version.
 */
final class QuietStart {

    /** Held so the level sticks: java.util.logging keeps loggers only weakly. */
    private static final Logger SQLITE = Logger.getLogger("com.almworks.sqlite4java");

    private QuietStart() {
    }

    static synchronized <T> T start(Supplier<T> server) {
        SQLITE.setLevel(Level.OFF);
        PrintStream original = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try {
            return server.get();
        } finally {
            System.setOut(original);
        }
    }
}
