package dev.ddbreplicator.cli;

import java.io.PrintStream;
import java.util.Arrays;

/** The {@code ddb-replicator} command: picks the verb and hands over. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            out.println("""
                    usage: ddb-replicator <verb> [options]

                    verbs:
                      demo [--items N]   replicate a live workload between two embedded regions and verify it
                    """);
            return args.length == 0 ? 2 : 0;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        return switch (args[0]) {
            case "demo" -> new DemoCommand(out, err).run(rest);
            default -> {
                err.println("ddb-replicator: unknown verb '" + args[0] + "'; run ddb-replicator --help");
                yield 2;
            }
        };
    }
}
