package dev.ddbreplicator.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Items as DynamoDB JSON, the format of the low-level API, of native exports and of our dead
 * letters: every value is an object with one type key ({@code {"S":"x"}}, {@code {"N":"1"}},
 * {@code {"B":"<base64>"}}, {@code {"NULL":true}}, ...). Numbers stay strings, so no precision is lost.
 */
public final class DynamoJson {

    /** Shared, thread-safe factory for generators and parsers. */
    public static final JsonFactory FACTORY = JsonFactory.builder().build();

    private DynamoJson() {
    }

    /** One item as compact DynamoDB JSON. */
    public static String toJson(Map<String, AttributeValue> item) {
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            writeItem(generator, item);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Parses one item from DynamoDB JSON. */
    public static Map<String, AttributeValue> parseItem(String json) {
        try (JsonParser parser = FACTORY.createParser(json)) {
            parser.nextToken();
            return readItem(parser);
        } catch (IOException e) {
            throw new IllegalArgumentException("not DynamoDB JSON: " + e.getMessage(), e);
        }
    }

    public static void writeItem(JsonGenerator generator, Map<String, AttributeValue> item) throws IOException {
        generator.writeStartObject();
        for (var entry : item.entrySet()) {
            generator.writeFieldName(entry.getKey());
            writeValue(generator, entry.getValue());
        }
        generator.writeEndObject();
    }

    public static void writeValue(JsonGenerator generator, AttributeValue value) throws IOException {
        generator.writeStartObject();
        if (value.s() != null) {
            generator.writeStringField("S", value.s());
        } else if (value.n() != null) {
            generator.writeStringField("N", value.n());
        } else if (value.b() != null) {
            generator.writeStringField("B", base64(value.b()));
        } else if (value.bool() != null) {
            generator.writeBooleanField("BOOL", value.bool());
        } else if (value.nul() != null) {
            generator.writeBooleanField("NULL", value.nul());
        } else if (value.hasM()) {
            generator.writeFieldName("M");
            writeItem(generator, value.m());
        } else if (value.hasL()) {
            generator.writeArrayFieldStart("L");
            for (AttributeValue element : value.l()) {
                writeValue(generator, element);
            }
            generator.writeEndArray();
        } else if (value.hasSs()) {
            writeStrings(generator, "SS", value.ss());
        } else if (value.hasNs()) {
            writeStrings(generator, "NS", value.ns());
        } else if (value.hasBs()) {
            writeStrings(generator, "BS", value.bs().stream().map(DynamoJson::base64).toList());
        } else {
            throw new IllegalArgumentException("attribute value has no type: " + value);
        }
        generator.writeEndObject();
    }

    /** Reads an item; the parser must be on its START_OBJECT and is left on its END_OBJECT. */
    public static Map<String, AttributeValue> readItem(JsonParser parser) throws IOException {
        expect(parser, JsonToken.START_OBJECT);
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            item.put(name, readValue(parser));
        }
        expect(parser, JsonToken.END_OBJECT);
        return item;
    }

    /** Reads a value; the parser must be on its START_OBJECT and is left on its END_OBJECT. */
    public static AttributeValue readValue(JsonParser parser) throws IOException {
        expect(parser, JsonToken.START_OBJECT);
        if (parser.nextToken() != JsonToken.FIELD_NAME) {
            throw new IOException("attribute value has no type at " + parser.currentLocation());
        }
        String type = parser.currentName();
        JsonToken token = parser.nextToken();
        AttributeValue value = switch (type) {
            case "S" -> AttributeValue.fromS(text(parser, token, type));
            case "N" -> AttributeValue.fromN(text(parser, token, type));
            case "B" -> AttributeValue.fromB(bytes(text(parser, token, type)));
            case "BOOL" -> AttributeValue.fromBool(bool(parser, token, type));
            case "NULL" -> AttributeValue.fromNul(bool(parser, token, type));
            case "M" -> AttributeValue.fromM(readItem(parser));
            case "L" -> AttributeValue.fromL(readList(parser));
            case "SS" -> AttributeValue.fromSs(readStrings(parser));
            case "NS" -> AttributeValue.fromNs(readStrings(parser));
            case "BS" -> AttributeValue.fromBs(readStrings(parser).stream().map(DynamoJson::bytes).toList());
            default -> throw new IOException("unknown attribute type " + type + " at " + parser.currentLocation());
        };
        if (parser.nextToken() != JsonToken.END_OBJECT) {
            throw new IOException("attribute value has more than one type at " + parser.currentLocation());
        }
        return value;
    }

    private static List<AttributeValue> readList(JsonParser parser) throws IOException {
        expect(parser, JsonToken.START_ARRAY);
        List<AttributeValue> list = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            list.add(readValue(parser));
        }
        return list;
    }

    private static List<String> readStrings(JsonParser parser) throws IOException {
        expect(parser, JsonToken.START_ARRAY);
        List<String> list = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            list.add(text(parser, parser.currentToken(), "set element"));
        }
        return list;
    }

    private static void writeStrings(JsonGenerator generator, String type, List<String> values) throws IOException {
        generator.writeArrayFieldStart(type);
        for (String value : values) {
            generator.writeString(value);
        }
        generator.writeEndArray();
    }

    private static String text(JsonParser parser, JsonToken token, String what) throws IOException {
        if (token != JsonToken.VALUE_STRING) {
            throw new IOException(what + " must be a string at " + parser.currentLocation());
        }
        return parser.getText();
    }

    private static boolean bool(JsonParser parser, JsonToken token, String what) throws IOException {
        if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
            throw new IOException(what + " must be true or false at " + parser.currentLocation());
        }
        return token == JsonToken.VALUE_TRUE;
    }

    private static void expect(JsonParser parser, JsonToken expected) throws IOException {
        if (parser.currentToken() != expected) {
            throw new IOException("expected " + expected + " but found " + parser.currentToken() + " at " + parser.currentLocation());
        }
    }

    private static String base64(SdkBytes bytes) {
        return Base64.getEncoder().encodeToString(bytes.asByteArrayUnsafe());
    }

    private static SdkBytes bytes(String base64) {
        return SdkBytes.fromByteArray(Base64.getDecoder().decode(base64));
    }
}
