package dev.ddbreplicator.lambda;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One evaluated Allow statement of an IAM policy, and whether it lets a call through: the action
 * is listed, a resource pattern matches ({@code *} and {@code ?} wildcards), and every condition
 * holds. Only {@code StringEquals} and {@code StringLike} are understood; any other operator makes
 * the statement grant nothing, so an unchecked condition can never count as granted.
 */
record IamStatement(String sid, List<String> actions, List<String> resources, Map<String, Map<String, List<String>>> conditions) {

    /** Reads an evaluated statement; only plain Allow statements with Action and Resource are accepted. */
    static IamStatement of(Map<String, Object> statement) {
        if (!"Allow".equals(statement.get("Effect"))) {
            throw new IllegalArgumentException("only Allow statements are expected: " + statement);
        }
        if (statement.containsKey("NotAction") || statement.containsKey("NotResource") || !statement.containsKey("Resource")) {
            throw new IllegalArgumentException("NotAction, NotResource or a missing Resource are not allowed: " + statement);
        }
        List<String> resources = CloudFormationTemplate.strings(statement.get("Resource"));
        List<String> actions = CloudFormationTemplate.strings(statement.get("Action"));
        java.util.Map<String, Map<String, List<String>>> conditions = new java.util.LinkedHashMap<>();
        CloudFormationTemplate.map(statement.get("Condition")).forEach((operator, keys) -> {
            java.util.Map<String, List<String>> byKey = new java.util.LinkedHashMap<>();
            CloudFormationTemplate.map(keys).forEach((key, values) -> byKey.put(key, CloudFormationTemplate.strings(values)));
            conditions.put(operator, byKey);
        });
        return new IamStatement(String.valueOf(statement.get("Sid")), actions, resources, conditions);
    }

    boolean allows(String action, String resource, Map<String, String> context) {
        boolean actionListed = actions.stream().anyMatch(a -> matches(a.toLowerCase(Locale.ROOT), action.toLowerCase(Locale.ROOT)));
        boolean resourceListed = resources.stream().anyMatch(r -> matches(r, resource));
        return actionListed && resourceListed && conditionsHold(context);
    }

    private boolean conditionsHold(Map<String, String> context) {
        for (var operator : conditions.entrySet()) {
            for (var key : operator.getValue().entrySet()) {
                String actual = context.get(key.getKey());
                if (actual == null) {
                    return false;
                }
                boolean holds = switch (operator.getKey()) {
                    case "StringEquals" -> key.getValue().contains(actual);
                    case "StringLike" -> key.getValue().stream().anyMatch(pattern -> matches(pattern, actual));
                    default -> false;
                };
                if (!holds) {
                    return false;
                }
            }
        }
        return true;
    }

    /** IAM wildcard matching: {@code *} is any run of characters, {@code ?} any one. */
    static boolean matches(String pattern, String value) {
        List<String> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            if (c == '*' || c == '?') {
                parts.add(Pattern.quote(literal.toString()));
                literal.setLength(0);
                parts.add(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        parts.add(Pattern.quote(literal.toString()));
        return Pattern.compile(String.join("", parts), Pattern.DOTALL).matcher(value).matches();
    }
}
