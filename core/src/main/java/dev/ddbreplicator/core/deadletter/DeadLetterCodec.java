package dev.ddbreplicator.core.deadletter;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.ddbreplicator.core.json.DynamoJson;
import dev.ddbreplicator.core.model.ChangeEvent;
import dev.ddbreplicator.core.model.ChangeKind;
import dev.ddbreplicator.core.model.ItemKey;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A dead letter as one JSON document: the pair, the reason, the time, and the whole event with
 * its images in DynamoDB JSON (the shape of a stream record, so it reads like one).
 */
public final class DeadLetterCodec {

    private DeadLetterCodec() {
    }

    public static String toJson(DeadLetter letter) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = DynamoJson.FACTORY.createGenerator(out)) {
            ChangeEvent event = letter.event();
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("pairId", letter.pairId());
            g.writeStringField("reason", letter.reason());
            g.writeStringField("failedAt", letter.failedAt().toString());
            g.writeObjectFieldStart("event");
            g.writeStringField("table", event.table());
            g.writeStringField("eventName", event.kind().name());
            g.writeStringField("sequenceNumber", event.sequenceNumber());
            g.writeStringField("approximateCreationDateTime", event.approximateCreationTime().toString());
            g.writeBooleanField("ttlDelete", event.ttlDelete());
            g.writeFieldName("Keys");
            DynamoJson.writeItem(g, event.keys().attributes());
            if (event.oldImage().isPresent()) {
                g.writeFieldName("OldImage");
                DynamoJson.writeItem(g, event.oldImage().get());
            }
            if (event.newImage().isPresent()) {
                g.writeFieldName("NewImage");
                DynamoJson.writeItem(g, event.newImage().get());
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    public static DeadLetter fromJson(String json) {
        try (JsonParser p = DynamoJson.FACTORY.createParser(json)) {
            String pairId = null;
            String reason = null;
            Instant failedAt = null;
            ChangeEvent event = null;
            expect(p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "pairId" -> pairId = p.getText();
                    case "reason" -> reason = p.getText();
                    case "failedAt" -> failedAt = Instant.parse(p.getText());
                    case "event" -> event = readEvent(p);
                    default -> p.skipChildren();
                }
            }
            return new DeadLetter(pairId, event, reason, failedAt);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a dead letter: " + e.getMessage(), e);
        }
    }

    private static ChangeEvent readEvent(JsonParser p) throws IOException {
        expect(p.currentToken(), JsonToken.START_OBJECT);
        String table = null;
        ChangeKind kind = null;
        String sequence = null;
        Instant created = null;
        boolean ttl = false;
        Map<String, AttributeValue> keys = null;
        Optional<Map<String, AttributeValue>> oldImage = Optional.empty();
        Optional<Map<String, AttributeValue>> newImage = Optional.empty();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "table" -> table = p.getText();
                case "eventName" -> kind = ChangeKind.valueOf(p.getText());
                case "sequenceNumber" -> sequence = p.getText();
                case "approximateCreationDateTime" -> created = Instant.parse(p.getText());
                case "ttlDelete" -> ttl = p.getBooleanValue();
                case "Keys" -> keys = DynamoJson.readItem(p);
                case "OldImage" -> oldImage = Optional.of(DynamoJson.readItem(p));
                case "NewImage" -> newImage = Optional.of(DynamoJson.readItem(p));
                default -> p.skipChildren();
            }
        }
        return new ChangeEvent(table, new ItemKey(keys), oldImage, newImage, kind, sequence, created, ttl);
    }

    private static void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new IOException("expected " + expected + " but found " + actual);
        }
    }
}
