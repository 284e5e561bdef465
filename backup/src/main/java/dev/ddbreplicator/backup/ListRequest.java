package dev.ddbreplicator.backup;

import java.util.Optional;

/**
 * {@code backup list --bucket B [--prefix P] [--table T]}.
 *
 * @param prefix where to look; empty searches the whole bucket (exports are found up to 8 folders deep)
 * @param table only this table's exports
 */
public record ListRequest(String bucket, String prefix, Optional<String> table) {

    public ListRequest {
        Options.bucket("--bucket", bucket);
        prefix = Options.prefix("--prefix", prefix);
        table.ifPresent(t -> Options.table("--table", t));
    }

    public static ListRequest of(String bucket) {
        return new ListRequest(bucket, "", Optional.empty());
    }
}
