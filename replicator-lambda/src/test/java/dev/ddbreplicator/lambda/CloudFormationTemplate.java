package dev.ddbreplicator.lambda;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A CloudFormation (SAM) template read for tests: YAML with the short intrinsic tags
 * ({@code !Ref}, {@code !Sub}, ...), evaluated for given parameter values the way CloudFormation
 * would, for the intrinsics a policy or an environment uses. An intrinsic it does not know fails
 * the evaluation, so the checks built on it never pass by accident.
 */
final class CloudFormationTemplate {

    /** What {@code !Ref AWS::NoValue} evaluates to: the entry disappears. */
    static final Object NO_VALUE = new Object() {
        @Override
        public String toString() {
            return "AWS::NoValue";
        }
    };

    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}!][^}]*)}");

    private final String text;
    private final Map<String, Object> root;
    private final Map<String, Object> parameters = new LinkedHashMap<>();
    private final Map<String, String> pseudo;

    private CloudFormationTemplate(String text, Map<String, Object> root, Map<String, String> pseudo) {
        this.text = text;
        this.root = root;
        this.pseudo = pseudo;
    }

    /**
     * Reads a template.
     *
     * @param pseudo the pseudo parameters: {@code AWS::Region}, {@code AWS::AccountId}, ...
     */
    static CloudFormationTemplate read(Path file, Map<String, String> pseudo) {
        try {
            String text = Files.readString(file);
            return new CloudFormationTemplate(text, new Yaml(new IntrinsicTags()).load(text), pseudo);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String text() {
        return text;
    }

    /** Sets a parameter: a string, or a list for a {@code CommaDelimitedList}. */
    CloudFormationTemplate parameter(String name, Object value) {
        if (!section("Parameters").containsKey(name)) {
            throw new IllegalArgumentException("the template has no parameter " + name);
        }
        parameters.put(name, value);
        return this;
    }

    Map<String, Object> section(String name) {
        return map(root.getOrDefault(name, Map.of()));
    }

    /** The resources of a type, by logical id. */
    Map<String, Map<String, Object>> resources(String type) {
        Map<String, Map<String, Object>> found = new LinkedHashMap<>();
        section("Resources").forEach((id, resource) -> {
            if (type.equals(map(resource).get("Type"))) {
                found.put(id, map(resource));
            }
        });
        return found;
    }

    /** Evaluates every intrinsic function in a piece of the template. */
    Object evaluate(Object node) {
        if (node instanceof Map<?, ?> raw) {
            Map<String, Object> m = map(raw);
            if (m.size() == 1) {
                String key = m.keySet().iterator().next();
                if (key.equals("Ref") || key.startsWith("Fn::")) {
                    return intrinsic(key, m.get(key));
                }
            }
            Map<String, Object> evaluated = new LinkedHashMap<>();
            m.forEach((k, v) -> {
                Object value = evaluate(v);
                if (value != NO_VALUE) {
                    evaluated.put(k, value);
                }
            });
            return evaluated;
        }
        if (node instanceof List<?> list) {
            List<Object> evaluated = new ArrayList<>();
            for (Object item : list) {
                Object value = evaluate(item);
                if (value != NO_VALUE) {
                    evaluated.add(value);
                }
            }
            return evaluated;
        }
        return node == null ? null : node instanceof Boolean ? node : node.toString();
    }

    boolean condition(String name) {
        Object definition = section("Conditions").get(name);
        if (definition == null) {
            throw new IllegalArgumentException("the template has no condition " + name);
        }
        return truth(definition);
    }

    private boolean truth(Object definition) {
        Map<String, Object> m = map(definition);
        String key = m.keySet().iterator().next();
        List<Object> args = key.equals("Condition") ? List.of(m.get(key)) : list(m.get(key));
        return switch (key) {
            case "Fn::Equals" -> String.valueOf(flatten(evaluate(args.get(0)))).equals(String.valueOf(flatten(evaluate(args.get(1)))));
            case "Fn::Not" -> !truth(args.get(0));
            case "Fn::And" -> args.stream().allMatch(this::truth);
            case "Fn::Or" -> args.stream().anyMatch(this::truth);
            case "Condition" -> condition(String.valueOf(args.get(0)));
            default -> throw new IllegalArgumentException("condition function " + key + " is not supported here");
        };
    }

    private static Object flatten(Object value) {
        return value instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf).toList()) : value;
    }

    private Object intrinsic(String function, Object argument) {
        return switch (function) {
            case "Ref" -> ref(String.valueOf(argument));
            case "Fn::Sub" -> sub(argument);
            case "Fn::GetAtt" -> getAtt(argument instanceof String s ? Arrays.asList(s.split("\\.", 2)) : list(argument));
            case "Fn::Join" -> {
                List<Object> args = list(argument);
                yield String.join(String.valueOf(args.get(0)), strings(evaluate(args.get(1))));
            }
            case "Fn::Split" -> {
                List<Object> args = list(argument);
                yield Arrays.asList(String.valueOf(evaluate(args.get(1))).split(Pattern.quote(String.valueOf(args.get(0))), -1));
            }
            case "Fn::Select" -> {
                List<Object> args = list(argument);
                yield strings(evaluate(args.get(1))).get(Integer.parseInt(String.valueOf(evaluate(args.get(0)))));
            }
            case "Fn::If" -> {
                List<Object> args = list(argument);
                yield evaluate(condition(String.valueOf(args.get(0))) ? args.get(1) : args.get(2));
            }
            default -> throw new IllegalArgumentException("intrinsic function " + function + " is not supported here");
        };
    }

    private Object ref(String name) {
        if (name.equals("AWS::NoValue")) {
            return NO_VALUE;
        }
        if (pseudo.containsKey(name)) {
            return pseudo.get(name);
        }
        Map<String, Object> declared = section("Parameters");
        if (declared.containsKey(name)) {
            Object value = parameters.containsKey(name) ? parameters.get(name) : map(declared.get(name)).get("Default");
            if (value == null) {
                throw new IllegalStateException("parameter " + name + " has no value and no default");
            }
            boolean isList = String.valueOf(map(declared.get(name)).get("Type")).startsWith("CommaDelimitedList");
            if (isList && value instanceof String s) {
                return Arrays.asList(s.split(",", -1));
            }
            return value instanceof List<?> ? value : String.valueOf(value);
        }
        if (section("Resources").containsKey(name.split("\\.")[0])) {
            return "ref:" + name;
        }
        throw new IllegalArgumentException("!Ref " + name + " names nothing in the template");
    }

    /** A resource attribute: the ARNs that tests need, in the form AWS gives them. */
    private Object getAtt(List<Object> args) {
        String id = String.valueOf(args.get(0));
        String attribute = String.valueOf(args.get(1));
        Map<String, Object> resource = map(section("Resources").get(id));
        if (resource.isEmpty()) {
            throw new IllegalArgumentException("!GetAtt " + id + "." + attribute + " names no resource");
        }
        String type = String.valueOf(resource.get("Type"));
        String prefix = "arn:" + pseudo.get("AWS::Partition") + ":";
        String where = pseudo.get("AWS::Region") + ":" + pseudo.get("AWS::AccountId") + ":";
        if (attribute.equals("Arn")) {
            Map<String, Object> properties = map(resource.get("Properties"));
            switch (type) {
                case "AWS::SQS::Queue":
                    return prefix + "sqs:" + where + id;
                case "AWS::Logs::LogGroup":
                    return prefix + "logs:" + where + "log-group:" + evaluate(properties.get("LogGroupName")) + ":*";
                case "AWS::IAM::Role":
                    return prefix + "iam::" + pseudo.get("AWS::AccountId") + ":role/" + id;
                default:
                    return prefix + type + ":" + where + id;
            }
        }
        return "getatt:" + id + "." + attribute;
    }

    private Object sub(Object argument) {
        String template;
        Map<String, Object> variables = new LinkedHashMap<>();
        if (argument instanceof List<?> args) {
            template = String.valueOf(args.get(0));
            map(args.get(1)).forEach((k, v) -> variables.put(k, evaluate(v)));
        } else {
            template = String.valueOf(argument);
        }
        Matcher matcher = SUB_VARIABLE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            Object value;
            if (variables.containsKey(name)) {
                value = variables.get(name);
            } else if (name.contains(".") && !name.startsWith("AWS::")) {
                value = getAtt(Arrays.asList(name.split("\\.", 2)));
            } else {
                value = ref(name);
            }
            if (value instanceof List<?>) {
                throw new IllegalArgumentException("${" + name + "} in !Sub is a list");
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(String.valueOf(value)));
        }
        matcher.appendTail(out);
        return out.toString().replace("${!", "${");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        return value instanceof List<?> l ? (List<Object>) l : value == null ? List.of() : List.of(value);
    }

    static List<String> strings(Object value) {
        return list(value).stream().map(String::valueOf).toList();
    }

    /** Reads {@code !Ref x} as {@code {Ref: x}}, {@code !GetAtt a.b} as {@code {Fn::GetAtt: [a, b]}}, {@code !Sub ...} as {@code {Fn::Sub: ...}}. */
    private static final class IntrinsicTags extends SafeConstructor {

        IntrinsicTags() {
            super(new LoaderOptions());
            this.yamlMultiConstructors.put("!", new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    String tag = node.getTag().getValue().substring(1);
                    String name = tag.equals("Ref") || tag.equals("Condition") ? tag : "Fn::" + tag;
                    Object value;
                    if (node instanceof ScalarNode scalar) {
                        String text = constructScalar(scalar);
                        value = tag.equals("GetAtt") ? Arrays.asList(text.split("\\.", 2)) : text;
                    } else if (node instanceof SequenceNode sequence) {
                        value = constructSequence(sequence);
                    } else {
                        value = constructMapping((MappingNode) node);
                    }
                    Map<String, Object> intrinsic = new LinkedHashMap<>();
                    intrinsic.put(name, value);
                    return intrinsic;
                }
            });
        }
    }
}
