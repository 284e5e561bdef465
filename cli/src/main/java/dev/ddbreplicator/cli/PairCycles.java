package dev.ddbreplicator.cli;

import dev.ddbreplicator.core.pair.TablePair;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the loop a new pair would close (A->B while B->A, or longer): replicated writes would
 * then chase each other around it forever. A table is its name, region and account; a replica
 * reached through a role lives in the role's account, a source in the tool's own.
 */
final class PairCycles {

    /** One table: name, region and account ("" for the tool's own account). */
    record Node(String table, String region, String account) {
        @Override
        public String toString() {
            return table + "@" + region + (account.isEmpty() ? "" : "(" + account + ")");
        }
    }

    private PairCycles() {
    }

    /** The loop {@code candidate} closes with the registered pairs, from its source back to it, or empty. */
    static Optional<List<Node>> cycle(List<TablePair> registered, TablePair candidate) {
        Map<Node, List<Node>> edges = new HashMap<>();
        for (TablePair pair : registered) {
            edges.computeIfAbsent(source(pair), k -> new ArrayList<>()).add(replica(pair));
        }
        Node start = source(candidate);
        // Breadth-first from the new pair's replica: the shortest way back to its source, if any.
        Map<Node, Node> cameFrom = new HashMap<>();
        Deque<Node> queue = new ArrayDeque<>();
        Set<Node> seen = new HashSet<>();
        Node first = replica(candidate);
        queue.add(first);
        seen.add(first);
        while (!queue.isEmpty()) {
            Node node = queue.poll();
            if (node.equals(start)) {
                List<Node> loop = new ArrayList<>();
                for (Node at = node; at != null; at = cameFrom.get(at)) {
                    loop.add(0, at);
                }
                loop.add(0, start);
                return Optional.of(loop);
            }
            for (Node next : edges.getOrDefault(node, List.of())) {
                if (seen.add(next)) {
                    cameFrom.put(next, node);
                    queue.add(next);
                }
            }
        }
        return Optional.empty();
    }

    static String describe(List<Node> loop) {
        return String.join(" -> ", loop.stream().map(Node::toString).toList());
    }

    static Node source(TablePair pair) {
        return new Node(pair.sourceTable(), pair.sourceRegion(), "");
    }

    static Node replica(TablePair pair) {
        return new Node(pair.replicaTable(), pair.replicaRegion(), pair.replicaRoleArn().map(PairCycles::account).orElse(""));
    }

    private static String account(String roleArn) {
        String[] parts = roleArn.split(":");
        return parts.length > 4 ? parts[4] : "";
    }
}
