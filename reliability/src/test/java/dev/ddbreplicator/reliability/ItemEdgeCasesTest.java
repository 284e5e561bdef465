package dev.ddbreplicator.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.ddbreplicator.cli.CommandRunner;
import dev.ddbreplicator.core.deadletter.DeadLetter;
import dev.ddbreplicator.core.deadletter.S3DeadLetterStore;
import dev.ddbreplicator.core.model.ItemKey;
import dev.ddbreplicator.core.pair.TablePair;
import dev.ddbreplicator.core.retry.Retrier;
import dev.ddbreplicator.core.retry.RetryPolicy;
import dev.ddbreplicator.core.verify.ItemDigest;
import dev.ddbreplicator.core.verify.VerifyReport;
import dev.ddbreplicator.core.write.ItemSize;
import dev.ddbreplicator.testkit.LocalRegionsExtension;
import dev.ddbreplicator.testkit.LocalS3Extension;
import dev.ddbreplicator.testkit.TableComparer;
import dev.ddbreplicator.testkit.TableDiff;
import dev.ddbreplicator.testkit.TableShape;
import dev.ddbreplicator.testkit.lambda.LambdaStreamPoller;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

/**
 * Items at DynamoDB's edges through the whole path (source table, stream, Lambda replicator, replica or
 * dead-letter bucket, verify, backup and restore, dead-letter replay): items at the 400 KB limit, exactly
 * and one byte over, before and after the replication version is added; and names and values with
 * unusual characters, empty strings, deep nesting, extreme numbers and very long names.
 */
class ItemEdgeCasesTest {

    @RegisterExtension
    static final LocalRegionsExtension AWS = LocalRegionsExtension.of(Stack.SOURCE_REGION, Stack.REPLICA_REGION);

    @RegisterExtension
    static final LocalS3Extension S3 = LocalS3Extension.inMemory();

    /** What the replica adds to every item: {@code _rv} and its 40-digit version. */
    private static final int VERSION_BYTES = "_rv".length() + 40;

    private static Stack stack;

    @BeforeAll
    static void stack() {
        stack = new Stack(AWS.source(), AWS.replica(), S3.server());
        stack.s3Client().createBucket(b -> b.bucket("backups"));
    }

    @AfterAll
    static void close() {
        stack.close();
    }

    /** An item of exactly {@code bytes} bytes by DynamoDB's rules: a key and one binary attribute filling the rest. */
    private static Map<String, AttributeValue> itemOf(String key, long bytes) {
        Map<String, AttributeValue> item = new HashMap<>(Map.of("pk", AttributeValue.fromS(key)));
        long room = bytes - ItemSize.of(item) - "blob".length();
        item.put("blob", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[(int) room])));
        assertThat(ItemSize.of(item)).isEqualTo(bytes);
        return item;
    }

    @Test
    void itemsAtThe400KbLimitAreReplicatedWhenTheyFitAndDeadLetteredWhenTheVersionPushesThemOver() throws Exception {
        TablePair pair = stack.pair("big", "big", "big-replica", TableShape.HASH_ONLY);
        int limit = ItemSize.MAX_ITEM_BYTES;
        Map<String, Long> sizes = new LinkedHashMap<>();
        sizes.put("fits-with-version", (long) limit - VERSION_BYTES);
        sizes.put("one-byte-over-with-version", (long) limit - VERSION_BYTES + 1);
        sizes.put("exactly-400kb", (long) limit);
        for (var size : sizes.entrySet()) {
            stack.sourceClient().putItem(b -> b.tableName(pair.sourceTable()).item(itemOf(size.getKey(), size.getValue())));
        }
        Throwable over = catchThrowable(() -> stack.sourceClient().putItem(b -> b.tableName(pair.sourceTable())
                .item(itemOf("one-byte-over-400kb", limit + 1L))));
        try (LambdaReplicator lambda = new LambdaReplicator(stack);
             LambdaStreamPoller poller = lambda.poller(pair.sourceTable()).build()) {
            poller.drain(Duration.ofMinutes(1));
            List<DeadLetter> letters = new S3DeadLetterStore(stack.s3Client(), Stack.DLQ_BUCKET, "", new Retrier(RetryPolicy.CONTROL))
                    .list(pair.id());
            VerifyReport report = stack.verify(pair);
            Set<ItemKey> lettered = Set.copyOf(letters.stream().map(l -> l.event().keys()).toList());
            Set<ItemKey> expectedLetters = Set.of(key("one-byte-over-with-version"), key("exactly-400kb"));
            long lost = report.missingKeys().stream().filter(k -> !lettered.contains(k)).count() + report.different() + report.extra();
            Results.record("item sizes at the 400 KB limit (409,600 bytes): 409,557 (fits with _rv), 409,558, 409,600, 409,601",
                    "source, stream, Lambda replicator, replica/dead letters",
                    "source refused 409,601 (" + (over == null ? "NOT REFUSED" : over.getClass().getSimpleName()) + "); 409,557 replicated;"
                            + " 409,558 and 409,600 dead-lettered whole (" + letters.size() + " letters)", lost);

            assertThat(over).as("the source takes nothing over 400 KB").isInstanceOf(DynamoDbException.class)
                    .hasMessageContaining("size");
            assertThat(stack.replicaClient().getItem(b -> b.tableName(pair.replicaTable()).key(key("fits-with-version").attributes())
                    .consistentRead(true)).item()).as("the item that fits with its version").isNotEmpty();
            assertThat(lettered).isEqualTo(expectedLetters);
            assertThat(letters).allSatisfy(l -> assertThat(l.event().newImage().orElseThrow().get("blob").b().asByteArrayUnsafe().length)
                    .as("the letter holds the whole item").isGreaterThan(400_000));
            assertThat(report.missingKeys()).containsExactlyInAnyOrderElementsOf(expectedLetters);
            assertThat(lost).isZero();
        }
        // A backup and restore carries every source item whole, the one of exactly 400 KB included.
        assertBackupRestoresEqual(pair.sourceTable());
    }

    private static ItemKey key(String pk) {
        return new ItemKey(Map.of("pk", AttributeValue.fromS(pk)));
    }

    /** Names and values DynamoDB takes that parsers, expression builders and digests often get wrong. */
    static Map<String, AttributeValue> unusualItem(String key, int variant) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("pk", AttributeValue.fromS(key));
        item.put("名前", AttributeValue.fromS("値 " + variant));
        item.put("emoji 😀🚀", AttributeValue.fromS("🎉 party " + variant + " 👩‍👩‍👧"));
        item.put("a#b", AttributeValue.fromS("#hash"));
        item.put(":colon", AttributeValue.fromS(":v"));
        item.put("dotted.name", AttributeValue.fromS("a.b.c"));
        item.put("with space", AttributeValue.fromS("  leading and trailing  "));
        item.put("quote\"back\\slash", AttributeValue.fromS("\"json\" \\ \u0000 nul \t tab \n newline"));
        // Real DynamoDB takes names up to 64 KB; DynamoDB Local fails with a 500 somewhere past 40,000 characters.
        item.put("x".repeat(40_000), AttributeValue.fromS("a very long attribute name"));
        item.put("empty", AttributeValue.fromS(""));
        item.put("emptyBinary", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[0])));
        item.put("listWithEmpty", AttributeValue.fromL(List.of(AttributeValue.fromS(""), AttributeValue.fromS("x"), AttributeValue.fromNul(true))));
        item.put("mapWithEmpty", AttributeValue.fromM(Map.of("e", AttributeValue.fromS(""), "😀", AttributeValue.fromS("emoji key")))); // an empty name is refused by DynamoDB
        // No empty map: DynamoDB Local's stream drops its type ({"M":{}} arrives as {}), so the item would be
        // dead-lettered here though AWS streams carry it. Empty lists and strings arrive whole.
        item.put("emptyList", AttributeValue.fromL(List.of()));
        item.put("unicodeSet", AttributeValue.fromSs(List.of("ü", "😀", "#", "a b", ":")));
        item.put("numbers", AttributeValue.fromNs(List.of("1E-130", "9.9999999999999999999999999999999999999E+125", "-0.000000000000000000000000000000000001")));
        item.put("bigNumber", AttributeValue.fromN("12345678901234567890123456789012345678"));
        item.put("negative", AttributeValue.fromN("-" + variant + ".5"));
        item.put("zeroBytes", AttributeValue.fromBs(List.of(SdkBytes.fromByteArray(new byte[] {0, 0, 0}), SdkBytes.fromByteArray(new byte[] {(byte) 0xff}))));
        AttributeValue deep = AttributeValue.fromS("bottom");
        for (int i = 0; i < 30; i++) {
            deep = AttributeValue.fromM(Map.of("level" + i, deep));
        }
        item.put("deep", deep);
        return item;
    }

    @Test
    void unusualNamesAndValuesReplicateBackUpRestoreAndDeadLetterUnchanged() throws Exception {
        TablePair pair = stack.pair("unusual", "unusual", "unusual-replica", TableShape.HASH_ONLY);
        List<String> keys = List.of("plain", "ключ", "😀 emoji key", "#:. key", " ", "k".repeat(2048));
        for (int i = 0; i < keys.size(); i++) {
            int variant = i;
            stack.sourceClient().putItem(b -> b.tableName(pair.sourceTable()).item(unusualItem(keys.get(variant), variant)));
        }
        // Changed by an update expression too, as an application would, through placeholders.
        stack.sourceClient().updateItem(b -> b.tableName(pair.sourceTable()).key(Map.of("pk", AttributeValue.fromS("plain")))
                .updateExpression("SET #n = :v, #e = :e REMOVE #h").expressionAttributeNames(Map.of("#n", "名前", "#e", "emoji 😀🚀", "#h", "a#b"))
                .expressionAttributeValues(Map.of(":v", AttributeValue.fromS("新しい"), ":e", AttributeValue.fromS(""))));
        // And one of them too big for the replica, so that it travels through the dead-letter bucket and back.
        Map<String, AttributeValue> poison = new HashMap<>(unusualItem("😀 poison", 9));
        long room = ItemSize.MAX_ITEM_BYTES - ItemSize.of(poison) - "pad ding".length() - 10;
        poison.put("pad ding", AttributeValue.fromS("p".repeat((int) room)));
        stack.sourceClient().putItem(b -> b.tableName(pair.sourceTable()).item(poison));

        try (LambdaReplicator lambda = new LambdaReplicator(stack);
             LambdaStreamPoller poller = lambda.poller(pair.sourceTable()).build()) {
            poller.drain(Duration.ofMinutes(1));
            VerifyReport report = stack.verify(pair);
            TableDiff diff = new TableComparer(Set.of("_rv")).compare(stack.sourceClient(), pair.sourceTable(), stack.replicaClient(),
                    pair.replicaTable());
            List<DeadLetter> letters = new S3DeadLetterStore(stack.s3Client(), Stack.DLQ_BUCKET, "", new Retrier(RetryPolicy.CONTROL))
                    .list(pair.id());
            CommandRunner.Run list = stack.cli("dlq", "list", "--pair", pair.id(), "--bucket", Stack.DLQ_BUCKET);
            Results.record("unusual names and values (unicode, emoji, # : . spaces, quotes, NUL, empty strings in lists/maps,"
                            + " 40,000-character name, 2,048-character key, 38-digit and extreme numbers, 30-deep maps)",
                    keys.size() + 1 + " items, Lambda replicator, verify, dead letters, backup/restore",
                    "replica equal except the one dead-lettered (" + report.missing() + " missing, letter holds it unchanged: "
                            + (letters.size() == 1 && ItemDigest.of(letters.get(0).event().newImage().orElseThrow(), Set.of())
                                    .equals(ItemDigest.of(poison, Set.of()))) + ")",
                    report.missing() - letters.size() + report.different() + report.extra());

            assertThat(report.missingKeys()).containsExactly(new ItemKey(Map.of("pk", poison.get("pk"))));
            assertThat(report.different()).isZero();
            assertThat(report.extra()).isZero();
            assertThat(diff.different()).as("compared attribute by attribute too").isZero();
            assertThat(letters).hasSize(1);
            Map<String, AttributeValue> image = letters.get(0).event().newImage().orElseThrow();
            // Equal as DynamoDB means it: set elements in any order, numbers however written (it normalizes them).
            List<String> differing = poison.keySet().stream()
                    .filter(k -> image.get(k) == null || !ItemDigest.of(Map.of("v", poison.get(k)), Set.of()).equals(ItemDigest.of(Map.of("v",
                            image.get(k)), Set.of())))
                    .map(k -> k.substring(0, Math.min(k.length(), 30)) + ": " + abbreviate(poison.get(k)) + " became " + abbreviate(image.get(k)))
                    .toList();
            assertThat(differing).as("attributes the dead letter changed").isEmpty();
            assertThat(image.keySet()).isEqualTo(poison.keySet());
            assertThat(list.code()).as(list.toString()).isZero();
        }
        assertBackupRestoresEqual(pair.sourceTable());
    }

    private static String abbreviate(Object value) {
        String text = String.valueOf(value);
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }

    private static void assertBackupRestoresEqual(String table) {
        CommandRunner.Run backup = stack.cli("backup", "run", "--table", table, "--bucket", "backups", "--prefix", table);
        assertThat(backup.code()).as(backup.toString()).isZero();
        Matcher id = Pattern.compile("--export (\\S+)").matcher(backup.out());
        assertThat(id.find()).as(backup.out()).isTrue();
        CommandRunner.Run restore = stack.cli("restore", "--bucket", "backups", "--export", id.group(1), "--target-table", table + "-restored");
        assertThat(restore.code()).as(restore.toString()).isZero();
        TableDiff diff = new TableComparer(Set.of()).compare(stack.sourceClient(), table, stack.sourceClient(), table + "-restored");
        assertThat(diff.isEqual()).as("backup and restore of %s: %s", table, diff).isTrue();
    }
}
