package dev.ddbreplicator.core.pair;

import java.util.regex.Pattern;
import software.amazon.awssdk.regions.Region;

/** The naming rules AWS applies to the things a pair names, checked before AWS sees them. */
public final class Names {

    private static final Pattern TABLE = Pattern.compile("[a-zA-Z0-9_.-]{3,255}");
    private static final Pattern PAIR_ID = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,99}");
    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}");

    private Names() {
    }

    public static String table(String what, String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(what + " is empty");
        }
        if (!TABLE.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " '" + name + "' is not a DynamoDB table name (3-255 of a-z A-Z 0-9 _ . -)");
        }
        return name;
    }

    public static String region(String what, String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(what + " is empty");
        }
        if (!Region.regions().contains(Region.of(name))) {
            throw new IllegalArgumentException(what + " '" + name + "' is not an AWS region this build knows (e.g. us-east-1)");
        }
        return name;
    }

    public static String pairId(String id) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("pair id is empty");
        }
        if (!PAIR_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("pair id '" + id + "' must be 1-100 of a-z A-Z 0-9 _ . - and start with a letter or digit");
        }
        return id;
    }

    public static String roleArn(String arn) {
        if (!ROLE_ARN.matcher(arn).matches()) {
            throw new IllegalArgumentException("role ARN '" + arn + "' is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)");
        }
        return arn;
    }
}
