package dev.ddbreplicator.backup.restore;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Whether two items hold the same value as DynamoDB sees it: sets compare without order and numbers
 * by value ({@code 1.50} is {@code 1.5}), which plain {@code equals} on SDK values does not do.
 */
public final class ItemEquality {

    private ItemEquality() {
    }

    public static boolean same(Map<String, AttributeValue> a, Map<String, AttributeValue> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (var entry : a.entrySet()) {
            AttributeValue other = b.get(entry.getKey());
            if (other == null || !same(entry.getValue(), other)) {
                return false;
            }
        }
        return true;
    }

    public static boolean same(AttributeValue a, AttributeValue b) {
        if (a.type() != b.type()) {
            return false;
        }
        return switch (a.type()) {
            case S -> a.s().equals(b.s());
            case N -> sameNumber(a.n(), b.n());
            case B -> a.b().equals(b.b());
            case BOOL -> a.bool().equals(b.bool());
            case NUL -> Objects.equals(a.nul(), b.nul());
            case M -> same(a.m(), b.m());
            case L -> sameList(a.l(), b.l());
            case SS -> new HashSet<>(a.ss()).equals(new HashSet<>(b.ss()));
            case NS -> numbers(a.ns()).equals(numbers(b.ns()));
            case BS -> new HashSet<SdkBytes>(a.bs()).equals(new HashSet<SdkBytes>(b.bs()));
            default -> a.equals(b);
        };
    }

    private static boolean sameList(List<AttributeValue> a, List<AttributeValue> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!same(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameNumber(String a, String b) {
        if (a.equals(b)) {
            return true;
        }
        try {
            return new BigDecimal(a).compareTo(new BigDecimal(b)) == 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static Set<BigDecimal> numbers(List<String> values) {
        Set<BigDecimal> set = new HashSet<>();
        for (String value : values) {
            set.add(new BigDecimal(value).stripTrailingZeros());
        }
        return set;
    }
}
