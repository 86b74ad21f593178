package org.mailwarden.imap.session;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.mailwarden.imap.mailbox.ListPattern;
import org.mailwarden.imap.parser.CommandReader;
import org.mailwarden.imap.parser.ImapParseException;
import org.mailwarden.imap.session.SelectedMailbox.MailboxGoneException;
import org.mailwarden.store.Mailboxes.Mailbox;

/**
 * LIST with LIST-EXTENDED (selection options SUBSCRIBED, REMOTE, RECURSIVEMATCH, SPECIAL-USE; several
 * patterns; return options SUBSCRIBED, CHILDREN, SPECIAL-USE, STATUS for LIST-STATUS) and LSUB.
 * Every reply carries the child attributes and the special-use attribute; a name that exists only as
 * the parent of others is shown as {@code \NonExistent} ({@code \Noselect} to a plain IMAP4rev1 LIST).
 */
final class ListCommand implements Command.Action {

    /** A name in the hierarchy: a mailbox, or a parent that exists only through its children. */
    private record Node(String name, Mailbox mailbox) {
    }

    @Override
    public void run(ImapSession s, String tag, String name, boolean uid, CommandReader args)
            throws IOException, CommandFailed, MailboxGoneException {
        boolean lsub = name.equals("LSUB");
        boolean extended = false;
        boolean selectSubscribed = false;
        boolean recursive = false;
        boolean selectSpecialUse = false;
        boolean returnSubscribed = false;
        List<String> statusItems = null;
        args.sp();
        if (!lsub && args.peek() == '(') {
            extended = true;
            args.openList();
            if (args.peek() != ')') {
                do {
                    switch (args.keyword()) {
                        case "SUBSCRIBED" -> selectSubscribed = true;
                        case "REMOTE" -> { }
                        case "RECURSIVEMATCH" -> recursive = true;
                        case "SPECIAL-USE" -> selectSpecialUse = true;
                        default -> throw ImapParseException.bad("unknown LIST selection option");
                    }
                } while (args.take(' '));
            }
            args.closeList();
            args.sp();
            if (recursive && !selectSubscribed) {
                throw ImapParseException.bad("RECURSIVEMATCH needs another selection option (SUBSCRIBED)");
            }
        }
        String reference = s.decodeMailboxPattern(args.astring());
        args.sp();
        List<String> patterns = new ArrayList<>();
        if (!lsub && args.peek() == '(') {
            extended = true;
            args.openList();
            do {
                patterns.add(s.decodeMailboxPattern(args.listMailbox()));
            } while (args.take(' '));
            args.closeList();
        } else {
            patterns.add(s.decodeMailboxPattern(args.listMailbox()));
        }
        if (!lsub && args.take(' ')) {
            extended = true;
            if (!args.keyword().equals("RETURN")) {
                throw ImapParseException.bad("expected RETURN");
            }
            args.sp();
            args.openList();
            if (args.peek() != ')') {
                do {
                    switch (args.keyword()) {
                        case "SUBSCRIBED" -> returnSubscribed = true;
                        case "CHILDREN", "SPECIAL-USE" -> { }
                        case "STATUS" -> {
                            args.sp();
                            statusItems = StatusCommand.items(args);
                        }
                        default -> throw ImapParseException.bad("unknown LIST return option");
                    }
                } while (args.take(' '));
            }
            args.closeList();
        }
        args.end();

        if (!lsub && patterns.size() == 1 && patterns.getFirst().isEmpty()) {
            // RFC 9051 section 6.3.9: the hierarchy delimiter and the root name
            s.out().untagged("LIST (\\Noselect) \"/\" \"\"");
            s.ok(tag, null, "LIST completed");
            return;
        }
        TreeMap<String, Node> universe = universe(s.mailboxes().list(s.identity().accountId()));
        boolean rev1Plain = !extended && !s.rev2();
        for (Node node : matching(universe, reference, patterns)) {
            Mailbox m = node.mailbox();
            boolean subscribed = m != null && m.subscribed();
            boolean childSubscribed = hasSubscribedChild(universe, node.name());
            if (lsub) {
                if (!subscribed && !childSubscribed) {
                    continue;
                }
            } else if (selectSubscribed && !subscribed && !(recursive && childSubscribed)) {
                continue;
            } else if (selectSpecialUse && (m == null || m.specialUse() == null)) {
                continue;
            }
            List<String> attrs = new ArrayList<>();
            if (m == null) {
                attrs.add(rev1Plain || lsub ? "\\Noselect" : "\\NonExistent");
            } else if (lsub && !subscribed) {
                attrs.add("\\Noselect");
            }
            if (!lsub) {
                attrs.add(hasChildren(universe, node.name()) ? "\\HasChildren" : "\\HasNoChildren");
                if (subscribed && (selectSubscribed || returnSubscribed)) {
                    attrs.add("\\Subscribed");
                }
                if (m != null && m.specialUse() != null) {
                    attrs.add(m.specialUse());
                }
            }
            s.out().raw("* " + (lsub ? "LSUB" : "LIST") + " (" + String.join(" ", attrs) + ") \"/\" ")
                    .astring(s.encodeMailbox(node.name()));
            if (recursive && selectSubscribed && !subscribed && childSubscribed) {
                s.out().raw(" (\"CHILDINFO\" (\"SUBSCRIBED\"))");
            }
            s.out().crlf();
            if (statusItems != null && m != null) {
                StatusCommand.write(s, m, statusItems);
            }
        }
        s.ok(tag, null, (lsub ? "LSUB" : "LIST") + " completed");
    }

    /** Every mailbox plus every parent name that exists only through its children, in name order. */
    private static TreeMap<String, Node> universe(List<Mailbox> mailboxes) {
        TreeMap<String, Node> out = new TreeMap<>();
        for (Mailbox m : mailboxes) {
            out.put(m.name(), new Node(m.name(), m));
        }
        for (Mailbox m : mailboxes) {
            int slash = m.name().indexOf('/');
            while (slash > 0) {
                String parent = m.name().substring(0, slash);
                out.putIfAbsent(parent, new Node(parent, null));
                slash = m.name().indexOf('/', slash + 1);
            }
        }
        return out;
    }

    private static List<Node> matching(TreeMap<String, Node> universe, String reference, List<String> patterns) {
        Map<String, Node> out = new LinkedHashMap<>();
        for (String pattern : patterns) {
            ListPattern p = ListPattern.of(reference, pattern);
            for (Node node : universe.values()) {
                if (p.matches(node.name())) {
                    out.putIfAbsent(node.name(), node);
                }
            }
        }
        return new ArrayList<>(out.values());
    }

    private static boolean hasChildren(TreeMap<String, Node> universe, String name) {
        String prefix = name + "/";
        String next = universe.ceilingKey(prefix);
        return next != null && next.startsWith(prefix);
    }

    private static boolean hasSubscribedChild(TreeMap<String, Node> universe, String name) {
        String prefix = name + "/";
        for (Node n : universe.tailMap(prefix).values()) {
            if (!n.name().startsWith(prefix)) {
                return false;
            }
            if (n.mailbox() != null && n.mailbox().subscribed()) {
                return true;
            }
        }
        return false;
    }
}
