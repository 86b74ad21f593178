package org.mailwarden.bench.measure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The memory a server uses, read from {@code /proc}: the proportional set size (PSS) of a process and
 * all its descendants. PSS charges each shared page to its sharers in parts, so a server of one process
 * (mailwarden's JVM) and a server of thousands (Dovecot forks one {@code imap} process per session) are
 * measured on the same scale, without counting shared libraries thousands of times.
 */
public final class ProcessMemory {

    private ProcessMemory() {
    }

    /** PSS of {@code root} and its descendants in KiB. */
    public static long treePssKiB(long root) {
        long total = 0;
        for (long pid : tree(root)) {
            total += pssKiB(pid);
        }
        return total;
    }

    /** The number of processes in the tree. */
    public static int treeSize(long root) {
        return tree(root).size();
    }

    static List<Long> tree(long root) {
        Map<Long, List<Long>> children = new HashMap<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.forEach(p -> {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    return;
                }
                long ppid = parentOf(p);
                if (ppid >= 0) {
                    children.computeIfAbsent(ppid, k -> new ArrayList<>()).add(Long.parseLong(name));
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc: " + e.getMessage(), e);
        }
        List<Long> result = new ArrayList<>();
        Deque<Long> todo = new ArrayDeque<>();
        todo.add(root);
        while (!todo.isEmpty()) {
            long pid = todo.pop();
            result.add(pid);
            todo.addAll(children.getOrDefault(pid, List.of()));
        }
        return result;
    }

    private static long parentOf(Path proc) {
        try {
            String stat = Files.readString(proc.resolve("stat"));
            // the command name is in parentheses and may contain spaces: the fields after ')' are fixed
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[1]);
        } catch (IOException | RuntimeException e) {
            return -1; // the process ended while we looked
        }
    }

    static long pssKiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps_rollup"))) {
                if (line.startsWith("Pss:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process ended while we looked: it uses nothing any more
        }
        return 0;
    }
}
