package dev.ddbreplicator.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The options every verb takes: where AWS is, and how to answer. */
final class GlobalOptions {

    /** The endpoints of {@code ddb-replicator local} at its default ports. */
    static final Map<String, String> LOCAL_ENDPOINTS = Map.of(
            "us-east-1", "http://127.0.0.1:8000",
            "eu-west-1", "http://127.0.0.1:8001");
    static final String LOCAL_S3 = "http://127.0.0.1:9000";

    @Option(names = "--region", paramLabel = "R", scope = ScopeType.INHERIT,
            description = "Region of the control table (pairs, status) and of tables named without a region. "
                    + "Default: AWS_REGION, or us-east-1 with --local.")
    String region;

    @Option(names = "--endpoint", paramLabel = "REGION=URL", scope = ScopeType.INHERIT,
            description = "DynamoDB endpoint for a region, e.g. us-east-1=http://127.0.0.1:8000 (repeatable).")
    Map<String, String> endpoints = new LinkedHashMap<>();

    @Option(names = "--s3-endpoint", paramLabel = "URL", scope = ScopeType.INHERIT, description = "S3 endpoint (path-style addressing).")
    String s3Endpoint;

    @Option(names = "--local", scope = ScopeType.INHERIT,
            description = "Use the stack of 'ddb-replicator local' at its default ports: us-east-1 on 8000, eu-west-1 on 8001, S3 on 9000.")
    boolean local;

    @Option(names = "--json", scope = ScopeType.INHERIT,
            description = "Answer with one JSON object {\"status\",\"message\",\"data\"}; progress goes to stderr.")
    boolean json;
}
