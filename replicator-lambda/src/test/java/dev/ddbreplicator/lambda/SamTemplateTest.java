package dev.ddbreplicator.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.ddbreplicator.core.pair.TtlDeletePolicy;
import dev.ddbreplicator.core.write.ItemSize;
import dev.ddbreplicator.testkit.LocalRegionsExtension;
import dev.ddbreplicator.testkit.LocalS3Extension;
import dev.ddbreplicator.testkit.TableShape;
import dev.ddbreplicator.testkit.TestTables;
import dev.ddbreplicator.testkit.Workload;
import dev.ddbreplicator.testkit.lambda.PollerStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Holds {@code sam/template.yaml} to the code: every handler it names exists; the replicator's
 * environment is exactly the variables the code reads; the event source is set as replication
 * needs; and its role grants every AWS call the replicator really makes (recorded from a run of
 * the handler on the embedded stack) and nothing else beyond what Lambda itself does for it.
 */
class SamTemplateTest {

    private static final String ACCOUNT = AwsCallRecorder.ACCOUNT;
    private static final String ACCESS_KEY = "templatecheck";
    private static final String NAMESPACE = "DdbReplicatorTest";
    private static final String FUNCTION = "ReplicatorFunction";
    private static final String BACKUP_MARK = "# --- scheduled backup function (see docs/backup.md) ---";
    /** Environment variables Lambda sets itself; a template may not set them. */
    private static final Set<String> LAMBDA_RESERVED = Set.of("_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION",
            "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
            "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY",
            "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT",
            "LAMBDA_RUNTIME_DIR");
    /**
     * Grants the function's code never uses because Lambda uses them on its behalf: the event
     * source mapping reads the stream and sends given-up records to the queue; the runtime writes
     * the logs. And cross-account roles, which one local account cannot show.
     */
    private static final Set<String> USED_BY_LAMBDA_OR_NOT_LOCAL = Set.of("dynamodb:DescribeStream", "dynamodb:GetRecords",
            "dynamodb:GetShardIterator", "dynamodb:ListStreams", "sqs:SendMessage", "logs:CreateLogStream", "logs:PutLogEvents",
            "sts:AssumeRole");

    @RegisterExtension
    static final LocalRegionsExtension AWS = LocalRegionsExtension.of(LambdaTestStack.SOURCE_REGION, LambdaTestStack.REPLICA_REGION);

    @RegisterExtension
    static final LocalS3Extension S3 = LocalS3Extension.inMemory();

    private static Path root;
    private static CloudFormationTemplate template;
    private static List<AwsCallRecorder.Action> calls;

    @BeforeAll
    static void readTheTemplateAndRecordWhatTheReplicatorCalls() {
        root = repositoryRoot();
        template = CloudFormationTemplate.read(root.resolve("sam/template.yaml"), Map.of(
                        "AWS::Region", LambdaTestStack.SOURCE_REGION, "AWS::AccountId", ACCOUNT, "AWS::Partition", "aws",
                        "AWS::StackName", "ddbr", "AWS::URLSuffix", "amazonaws.com"))
                .parameter("SourceStreamArn", "arn:aws:dynamodb:us-east-1:" + ACCOUNT + ":table/orders/stream/2026-01-01T00:00:00.000")
                .parameter("DeadLetterBucket", LambdaTestStack.BUCKET)
                .parameter("ReplicaTableArns", List.of("arn:aws:dynamodb:eu-west-1:" + ACCOUNT + ":table/orders-replica"))
                .parameter("ReplicaRegions", List.of(LambdaTestStack.REPLICA_REGION))
                .parameter("MetricsNamespace", NAMESPACE);
        calls = recordAReplicationRun();
        // Kept in the test output: the list the template is checked against.
        calls.forEach(call -> System.out.println("replicator calls " + call));
    }

    /**
     * Runs the handler as deployed (configured from the template's environment) on a workload that
     * takes every path that reaches AWS: first use of a replica region (tombstone table created),
     * inserts, updates and deletes, a poison item dead-lettered to S3, status, and metrics.
     */
    private static List<AwsCallRecorder.Action> recordAReplicationRun() {
        Map<String, String> env = new HashMap<>(templateEnvironment());
        env.put(LambdaConfig.REGION, LambdaTestStack.SOURCE_REGION);
        LambdaConfig config = LambdaConfig.from(env::get);
        try (LambdaTestStack stack = new LambdaTestStack(AWS.source(), AWS.replica(), S3.server());
             FakeCloudWatch cloudWatch = new FakeCloudWatch()) {
            TestTables.createWithStream(stack.sourceClient, "orders", TableShape.HASH_AND_RANGE);
            TestTables.create(stack.replicaClient, "orders-replica", TableShape.HASH_AND_RANGE);
            stack.register("orders-eu", "orders", "orders-replica", TtlDeletePolicy.REPLICATE);
            Workload.mixed(TableShape.HASH_AND_RANGE, 40, 21).run(stack.sourceClient, "orders", 120, 2);
            stack.sourceClient.putItem(b -> b.tableName("orders").item(justUnderTheLimit()));

            AwsCallRecorder.start(ACCESS_KEY);
            ReplicatorHandler handler = stack.handler(ACCESS_KEY, config, Optional.of(cloudWatch.endpoint()));
            PollerStats stats = stack.drain(stack.poller("orders", handler).batchSize(50).build(), Duration.ofMinutes(1));

            assertThat(stats.failedInvocations()).isZero();
            assertThat(cloudWatch.putMetricData()).isNotEmpty();
            assertThat(stack.batchLines).anySatisfy(line -> assertThat(line).contains("\"poison\":1"));
            return AwsCallRecorder.recorded(ACCESS_KEY);
        }
    }

    /** An item DynamoDB takes, which the version attribute pushes over 400 KB: poison for the replica. */
    private static Map<String, AttributeValue> justUnderTheLimit() {
        Map<String, AttributeValue> item = new HashMap<>(Map.of("pk", AttributeValue.fromS("big"), "sk", AttributeValue.fromN("1")));
        long room = ItemSize.MAX_ITEM_BYTES - ItemSize.of(item) - "blob".length() - 10;
        item.put("blob", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[(int) room])));
        return item;
    }

    @Test
    void everyHandlerTheTemplateNamesExists() {
        Map<String, Map<String, Object>> functions = new java.util.LinkedHashMap<>(template.resources("AWS::Serverless::Function"));
        functions.putAll(template.resources("AWS::Lambda::Function"));
        assertThat(functions).containsKey(FUNCTION);
        for (var function : functions.entrySet()) {
            String handler = String.valueOf(CloudFormationTemplate.map(function.getValue().get("Properties")).get("Handler"));
            String className = handler.split("::")[0];
            assertThat(sourceOf(className)).as("source of %s, the handler of %s", handler, function.getKey()).isPresent();
            Optional<Class<?>> loaded = load(className);
            if (function.getKey().equals(FUNCTION)) {
                assertThat(loaded).as("the replicator's handler is on this module's class path").isPresent();
            }
            loaded.ifPresent(type -> {
                assertThat(RequestHandler.class.isAssignableFrom(type) || RequestStreamHandler.class.isAssignableFrom(type))
                        .as("%s is a Lambda handler", type).isTrue();
                assertThat(Modifier.isPublic(type.getModifiers())).isTrue();
                assertThat(Stream.of(type.getConstructors()).anyMatch(c -> c.getParameterCount() == 0))
                        .as("%s has a public no-argument constructor for the runtime", type).isTrue();
                if (handler.contains("::")) {
                    String method = handler.split("::")[1];
                    assertThat(Stream.of(type.getMethods()).anyMatch(m -> m.getName().equals(method))).as(handler).isTrue();
                }
            });
        }
    }

    @Test
    void theReplicatorsEnvironmentIsExactlyWhatItsCodeReads() {
        Set<String> read = new TreeSet<>();
        Map<String, String> valid = Map.of(LambdaConfig.REGION, "us-east-1", LambdaConfig.DEAD_LETTER_BUCKET, "bucket");
        LambdaConfig.from(name -> {
            read.add(name);
            return valid.get(name);
        });
        Set<String> readFromTheTemplate = new TreeSet<>(read);
        readFromTheTemplate.removeAll(LAMBDA_RESERVED);

        Map<String, String> environment = templateEnvironment();
        assertThat(environment.keySet()).as("variables the template sets").containsExactlyInAnyOrderElementsOf(readFromTheTemplate);
        assertThat(environment.keySet()).as("variables Lambda reserves").doesNotContainAnyElementsOf(LAMBDA_RESERVED);
        // The values a stack gets from the parameters' defaults make a valid configuration.
        Map<String, String> deployed = new HashMap<>(environment);
        deployed.put(LambdaConfig.REGION, LambdaTestStack.SOURCE_REGION);
        assertThat(LambdaConfig.from(deployed::get).metricsNamespace()).contains(NAMESPACE);
    }

    @Test
    void theReplicatorIsPackagedSnapStartedAndTriggeredAsReplicationNeeds() throws IOException {
        Map<String, Object> properties = properties(FUNCTION);
        assertThat(properties.get("Runtime")).isIn("java17", "java21");
        assertThat(CloudFormationTemplate.map(properties.get("SnapStart")).get("ApplyOn")).isEqualTo("PublishedVersions");
        assertThat(properties.get("AutoPublishAlias")).isNotNull();
        assertThat(Integer.parseInt(String.valueOf(template.evaluate(properties.get("MemorySize"))))).isGreaterThanOrEqualTo(512);
        assertThat(Integer.parseInt(String.valueOf(template.evaluate(properties.get("Timeout"))))).isBetween(60, 900);
        String codeUri = String.valueOf(properties.get("CodeUri"));
        assertThat(codeUri).isEqualTo("../replicator-lambda/target/ddb-replicator-lambda.jar");
        assertThat(Files.readString(root.resolve("replicator-lambda/pom.xml"))).contains("<finalName>ddb-replicator-lambda</finalName>");

        Map<String, Object> events = CloudFormationTemplate.map(properties.get("Events"));
        assertThat(events).hasSize(1);
        Map<String, Object> source = CloudFormationTemplate.map(events.values().iterator().next());
        assertThat(source.get("Type")).isEqualTo("DynamoDB");
        Map<String, Object> mapping = CloudFormationTemplate.map(template.evaluate(source.get("Properties")));
        assertThat(mapping).containsEntry("Stream", "arn:aws:dynamodb:us-east-1:" + ACCOUNT + ":table/orders/stream/2026-01-01T00:00:00.000")
                .containsEntry("StartingPosition", "TRIM_HORIZON")
                .containsEntry("BisectBatchOnFunctionError", true)
                .containsEntry("FunctionResponseTypes", List.of("ReportBatchItemFailures"))
                .containsEntry("ParallelizationFactor", "1")
                .containsKeys("BatchSize", "MaximumBatchingWindowInSeconds", "MaximumRetryAttempts", "MaximumRecordAgeInSeconds");
        Object destination = CloudFormationTemplate.map(CloudFormationTemplate.map(
                CloudFormationTemplate.map(source.get("Properties")).get("DestinationConfig")).get("OnFailure")).get("Destination");
        String queue = CloudFormationTemplate.strings(CloudFormationTemplate.map(destination).get("Fn::GetAtt")).get(0);
        assertThat(template.resources("AWS::SQS::Queue")).as("the on-failure queue is declared here").containsKey(queue);
        assertThat(template.text()).contains(BACKUP_MARK);
    }

    @Test
    void noStatementOfAnyRoleGrantsAWildcardAction() {
        template.parameter("ReplicaRoleArns", List.of("arn:aws:iam::210987654321:role/replica-writer"));
        try {
            for (String role : template.resources("AWS::IAM::Role").keySet()) {
                for (IamStatement statement : statements(role)) {
                    assertThat(statement.actions()).as(role + " " + statement.sid()).isNotEmpty()
                            .noneMatch(a -> a.contains("*") || a.contains("?"));
                    assertThat(statement.resources()).as(role + " " + statement.sid()).isNotEmpty();
                }
            }
            assertThat(statements()).anySatisfy(s -> assertThat(s.actions()).containsExactly("sts:AssumeRole"));
        } finally {
            template.parameter("ReplicaRoleArns", "");
        }
        Map<String, Object> function = properties(FUNCTION);
        assertThat(function).as("every grant is in the role the function names").doesNotContainKeys("Policies");
        assertThat(CloudFormationTemplate.map(template.resources("AWS::IAM::Role").get(roleOf(function)).get("Properties")))
                .doesNotContainKeys("ManagedPolicyArns", "PermissionsBoundary");
    }

    @Test
    void theRoleGrantsEveryCallTheReplicatorMakes() {
        assertThat(calls).extracting(AwsCallRecorder.Action::action).contains("dynamodb:PutItem", "dynamodb:ConditionCheckItem",
                "dynamodb:DeleteItem", "dynamodb:Scan", "dynamodb:UpdateItem", "dynamodb:CreateTable", "s3:PutObject",
                "cloudwatch:PutMetricData");
        List<IamStatement> statements = statements();
        List<AwsCallRecorder.Action> denied = calls.stream()
                .filter(call -> statements.stream().noneMatch(s -> s.allows(call.action(), call.resource(), call.context())))
                .toList();
        assertThat(denied).as("calls the replicator makes that its role does not allow").isEmpty();
    }

    @Test
    void theRoleGrantsNothingTheReplicatorDoesNotUse() {
        Set<String> unused = new LinkedHashSet<>();
        for (IamStatement statement : statements()) {
            for (String action : statement.actions()) {
                if (USED_BY_LAMBDA_OR_NOT_LOCAL.contains(action)) {
                    continue;
                }
                for (String resource : statement.resources()) {
                    boolean used = calls.stream().anyMatch(call -> call.action().equalsIgnoreCase(action)
                            && IamStatement.matches(resource, call.resource())
                            && new IamStatement(statement.sid(), List.of(action), List.of(resource), statement.conditions())
                                    .allows(call.action(), call.resource(), call.context()));
                    if (!used) {
                        unused.add(statement.sid() + ": " + action + " on " + resource);
                    }
                }
            }
        }
        assertThat(unused).as("grants no recorded call needed").isEmpty();
    }

    @Test
    void theTemplatePassesCfnLintWhereItIsInstalled() throws Exception {
        Optional<Path> cfnLint = onPath("cfn-lint");
        Assumptions.assumeTrue(cfnLint.isPresent(), "cfn-lint is not installed here");
        Process lint = new ProcessBuilder(cfnLint.get().toString(), "--", root.resolve("sam/template.yaml").toString())
                .redirectErrorStream(true).start();
        String output = new String(lint.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(lint.waitFor(2, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
        assertThat(lint.exitValue()).as(output).isZero();
    }

    private static Optional<Path> onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .map(dir -> Path.of(dir, program))
                .filter(Files::isExecutable)
                .findFirst();
    }

    private static Map<String, String> templateEnvironment() {
        Map<String, Object> variables = CloudFormationTemplate.map(CloudFormationTemplate.map(template.evaluate(
                CloudFormationTemplate.map(properties(FUNCTION).get("Environment")))).get("Variables"));
        Map<String, String> environment = new HashMap<>();
        variables.forEach((k, v) -> environment.put(k, String.valueOf(v)));
        return environment;
    }

    private static Map<String, Object> properties(String logicalId) {
        return CloudFormationTemplate.map(template.resources("AWS::Serverless::Function").get(logicalId).get("Properties"));
    }

    private static String roleOf(Map<String, Object> function) {
        Object role = CloudFormationTemplate.map(function.get("Role")).get("Fn::GetAtt");
        assertThat(role).as("the function's Role is !GetAtt of a role in the template").isNotNull();
        return CloudFormationTemplate.strings(role).get(0);
    }

    /** The statements of the replicator's role. */
    private static List<IamStatement> statements() {
        return statements(roleOf(properties(FUNCTION)));
    }

    private static List<IamStatement> statements(String roleId) {
        Map<String, Object> role = CloudFormationTemplate.map(template.resources("AWS::IAM::Role").get(roleId).get("Properties"));
        List<IamStatement> statements = new ArrayList<>();
        for (Object policy : CloudFormationTemplate.list(role.get("Policies"))) {
            Map<String, Object> document = CloudFormationTemplate.map(CloudFormationTemplate.map(template.evaluate(policy)).get("PolicyDocument"));
            for (Object statement : CloudFormationTemplate.list(document.get("Statement"))) {
                statements.add(IamStatement.of(CloudFormationTemplate.map(statement)));
            }
        }
        return statements;
    }

    private static Optional<Path> sourceOf(String className) {
        String file = "src/main/java/" + className.replace('.', '/') + ".java";
        try (Stream<Path> modules = Files.list(root)) {
            return modules.map(m -> m.resolve(file)).filter(Files::isRegularFile).findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<Class<?>> load(String className) {
        try {
            return Optional.of(Class.forName(className, false, SamTemplateTest.class.getClassLoader()));
        } catch (ClassNotFoundException e) {
            return Optional.empty();
        }
    }

    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("sam/template.yaml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no sam/template.yaml above " + Path.of("").toAbsolutePath());
    }
}
