package dev.ddbreplicator.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A verb that only groups others ({@code pairs}, {@code streams}, ...): called alone it says which to use. */
abstract class VerbGroup implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        RootCommand root = (RootCommand) spec.root().userObject();
        String verbs = String.join(", ", spec.subcommands().keySet());
        return root.output().print(spec.qualifiedName(), CliException.badRequest(
                "which one? " + spec.qualifiedName() + " needs one of: " + verbs + " (see --help)").result());
    }
}
