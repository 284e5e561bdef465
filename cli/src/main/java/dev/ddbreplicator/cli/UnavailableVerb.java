package dev.ddbreplicator.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Unmatched;

/** A verb whose module is not part of this build: it says so (exit 2) whatever options it is given. */
abstract class UnavailableVerb extends Verb {

    @Unmatched
    List<String> options = new ArrayList<>();

    /** The module that brings the verb. */
    protected abstract String module();

    @Override
    protected Result execute(Environment env) {
        throw CliException.badRequest("not available in this build (it comes with the " + module()
                + " module); see docs/operator.md");
    }
}
