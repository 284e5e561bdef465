package dev.ddbreplicator.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An IAM policy document, read from the first {@code json} block after a heading of a markdown page,
 * and evaluated as IAM does for what this suite records: Allow statements, actions and resources with
 * {@code *} and {@code ?} wildcards, {@code StringEquals} conditions.
 */
record IamPolicy(List<Statement> statements) {

    /** One Allow statement. */
    record Statement(String sid, List<String> actions, List<String> resources, Map<String, List<String>> stringEquals) {

        boolean allows(String action, String resource, Map<String, String> context) {
            return actions.stream().anyMatch(a -> glob(a.toLowerCase(Locale.ROOT), action.toLowerCase(Locale.ROOT)))
                    && resources.stream().anyMatch(r -> glob(r, resource))
                    && stringEquals.entrySet().stream().allMatch(c -> c.getValue().contains(context.get(c.getKey())));
        }
    }

    /** One recorded authorization: {@code action resource [namespace]} as {@link ChildProbe} writes it. */
    record Call(String action, String resource, Map<String, String> context) {
        static Call parse(String line) {
            String[] parts = line.strip().split(" ", 3);
            Map<String, String> context = parts.length > 2 && !parts[2].isBlank() ? Map.of("cloudwatch:namespace", parts[2].strip()) : Map.of();
            return new Call(parts[0], parts[1], context);
        }

        @Override
        public String toString() {
            return action + " on " + resource + (context.isEmpty() ? "" : " " + context);
        }
    }

    /**
     * The policy in the first {@code ```json} block after the heading, with the placeholders replaced.
     *
     * @param replacements placeholder to value, e.g. {@code SRC} to {@code us-east-1}; whole ARN segments only
     */
    static IamPolicy fromMarkdown(String markdown, String heading, Map<String, String> replacements) {
        int at = markdown.indexOf(heading);
        if (at < 0) {
            throw new IllegalArgumentException("no heading '" + heading + "' in the page");
        }
        Matcher block = Pattern.compile("```json\\s*\\n(.*?)```", Pattern.DOTALL).matcher(markdown);
        if (!block.find(at)) {
            throw new IllegalArgumentException("no json block after '" + heading + "'");
        }
        String json = block.group(1);
        for (var entry : new TreeMap<>(replacements).entrySet()) {
            json = json.replaceAll("(?<=[:\"])" + Pattern.quote(entry.getKey()) + "(?=[:\"/])", Matcher.quoteReplacement(entry.getValue()));
        }
        try {
            JsonNode document = new ObjectMapper().readTree(json);
            List<Statement> statements = new ArrayList<>();
            for (JsonNode statement : document.get("Statement")) {
                if (!"Allow".equals(statement.path("Effect").asText())) {
                    throw new IllegalArgumentException("only Allow statements are expected: " + statement);
                }
                Map<String, List<String>> equals = new TreeMap<>();
                statement.path("Condition").path("StringEquals").fields().forEachRemaining(e -> equals.put(e.getKey(), strings(e.getValue())));
                statements.add(new Statement(statement.path("Sid").asText("(no sid)"), strings(statement.get("Action")),
                        strings(statement.get("Resource")), equals));
            }
            return new IamPolicy(statements);
        } catch (IOException e) {
            throw new UncheckedIOException("the policy block is not JSON: " + json, e);
        }
    }

    boolean allows(Call call) {
        return statements.stream().anyMatch(s -> s.allows(call.action(), call.resource(), call.context()));
    }

    private static List<String> strings(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node == null) {
            return values;
        }
        if (node.isArray()) {
            node.forEach(n -> values.add(n.asText()));
        } else {
            values.add(node.asText());
        }
        return values;
    }

    static boolean glob(String pattern, String value) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return value.matches(regex.toString());
    }
}
