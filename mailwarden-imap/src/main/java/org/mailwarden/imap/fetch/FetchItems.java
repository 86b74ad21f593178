package org.mailwarden.imap.fetch;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.mailwarden.imap.parser.CommandReader;
import org.mailwarden.imap.parser.ImapParseException;

/**
 * What a FETCH asks for: the simple items, the body sections (each with its partial range and whether
 * it sets \Seen), and the CONDSTORE/QRESYNC modifiers. Macros (ALL, FAST, FULL) are expanded.
 *
 * @param changedSince the CHANGEDSINCE modifier, or -1
 * @param vanished     the VANISHED modifier (UID FETCH with QRESYNC)
 */
public record FetchItems(Set<Item> items, List<BodyRequest> bodies, long changedSince, boolean vanished) {

    /** The items that need no section. */
    public enum Item { UID, FLAGS, INTERNALDATE, RFC822_SIZE, ENVELOPE, BODY, BODYSTRUCTURE, MODSEQ }

    /** What a body request returns. */
    public enum Kind {
        /** BODY[section] and the RFC822 forms: octets as stored. */
        CONTENT,
        /** BINARY[section]: the part's content with its transfer encoding removed (RFC 3516). */
        BINARY,
        /** BINARY.SIZE[section]: the size of that decoded content. */
        BINARY_SIZE
    }

    /**
     * A body section request.
     *
     * @param label    the item name the response uses, without partial, e.g. {@code BODY[1.TEXT]} or {@code RFC822}
     * @param origin   the partial's first octet, or -1 for the whole section
     * @param count    the partial's length
     * @param setsSeen whether fetching it sets \Seen (BODY[...], BINARY[...], RFC822, RFC822.TEXT)
     */
    public record BodyRequest(String label, BodySection section, Kind kind, long origin, long count, boolean setsSeen) {

        /** The label with the partial's origin, as the response names the item. */
        public String responseLabel() {
            return origin < 0 ? label : label + "<" + origin + ">";
        }
    }

    public FetchItems {
        items = items.isEmpty() ? EnumSet.noneOf(Item.class) : EnumSet.copyOf(items);
        bodies = List.copyOf(bodies);
    }

    public boolean has(Item item) {
        return items.contains(item);
    }

    /** Whether any request sets \Seen. */
    public boolean setsSeen() {
        return bodies.stream().anyMatch(BodyRequest::setsSeen);
    }

    /** Whether everything asked for is known without the stored message: UID, FLAGS, MODSEQ. */
    public boolean viewOnly() {
        return bodies.isEmpty() && EnumSet.of(Item.UID, Item.FLAGS, Item.MODSEQ).containsAll(items);
    }

    /** Whether rendering needs the message's MIME structure. */
    public boolean needsStructure() {
        return has(Item.ENVELOPE) || has(Item.BODY) || has(Item.BODYSTRUCTURE)
                || bodies.stream().anyMatch(b -> b.section().text() != BodySection.Text.NONE
                        || !b.section().path().isEmpty() || b.kind() != Kind.CONTENT);
    }

    /** Parses the items and modifiers of a FETCH after its sequence set. */
    public static FetchItems parse(CommandReader r) throws IOException {
        Set<Item> items = EnumSet.noneOf(Item.class);
        List<BodyRequest> bodies = new ArrayList<>();
        if (r.peek() == '(') {
            r.openList();
            do {
                item(r, items, bodies);
            } while (r.take(' '));
            r.closeList();
        } else {
            String word = r.keywordUntil("[");
            switch (word) {
                case "ALL" -> items.addAll(List.of(Item.FLAGS, Item.INTERNALDATE, Item.RFC822_SIZE, Item.ENVELOPE));
                case "FAST" -> items.addAll(List.of(Item.FLAGS, Item.INTERNALDATE, Item.RFC822_SIZE));
                case "FULL" -> items.addAll(List.of(Item.FLAGS, Item.INTERNALDATE, Item.RFC822_SIZE, Item.ENVELOPE, Item.BODY));
                default -> named(word, r, items, bodies);
            }
        }
        long changedSince = -1;
        boolean vanished = false;
        if (r.take(' ')) {
            r.openList();
            do {
                String modifier = r.keyword();
                switch (modifier) {
                    case "CHANGEDSINCE" -> {
                        r.sp();
                        changedSince = r.number64();
                    }
                    case "VANISHED" -> vanished = true;
                    default -> throw ImapParseException.bad("unknown FETCH modifier " + modifier);
                }
            } while (r.take(' '));
            r.closeList();
        }
        return new FetchItems(items, bodies, changedSince, vanished);
    }

    private static void item(CommandReader r, Set<Item> items, List<BodyRequest> bodies) throws IOException {
        named(r.keywordUntil("["), r, items, bodies);
    }

    private static void named(String word, CommandReader r, Set<Item> items, List<BodyRequest> bodies)
            throws IOException {
        switch (word) {
            case "UID" -> items.add(Item.UID);
            case "FLAGS" -> items.add(Item.FLAGS);
            case "INTERNALDATE" -> items.add(Item.INTERNALDATE);
            case "RFC822.SIZE" -> items.add(Item.RFC822_SIZE);
            case "ENVELOPE" -> items.add(Item.ENVELOPE);
            case "BODYSTRUCTURE" -> items.add(Item.BODYSTRUCTURE);
            case "MODSEQ" -> items.add(Item.MODSEQ);
            case "RFC822" -> bodies.add(new BodyRequest("RFC822", BodySection.WHOLE, Kind.CONTENT, -1, 0, true));
            case "RFC822.HEADER" -> bodies.add(new BodyRequest("RFC822.HEADER",
                    new BodySection(List.of(), BodySection.Text.HEADER, List.of()), Kind.CONTENT, -1, 0, false));
            case "RFC822.TEXT" -> bodies.add(new BodyRequest("RFC822.TEXT",
                    new BodySection(List.of(), BodySection.Text.TEXT, List.of()), Kind.CONTENT, -1, 0, true));
            case "BODY", "BODY.PEEK" -> {
                if (!r.take('[')) {
                    if (word.equals("BODY.PEEK")) {
                        throw ImapParseException.bad("BODY.PEEK needs a section, e.g. BODY.PEEK[]");
                    }
                    items.add(Item.BODY);
                    return;
                }
                BodySection section = BodySection.parse(r);
                long[] partial = partial(r);
                bodies.add(new BodyRequest("BODY[" + section.spec() + "]", section, Kind.CONTENT, partial[0],
                        partial[1], word.equals("BODY")));
            }
            case "BINARY", "BINARY.PEEK", "BINARY.SIZE" -> {
                r.expect('[', "'[' after " + word);
                BodySection section = BodySection.parse(r);
                if (section.text() != BodySection.Text.NONE) {
                    throw ImapParseException.bad(word + " takes part numbers only, e.g. " + word + "[1.2]");
                }
                boolean size = word.equals("BINARY.SIZE");
                long[] partial = size ? new long[] {-1, 0} : partial(r);
                bodies.add(new BodyRequest((size ? "BINARY.SIZE[" : "BINARY[") + section.spec() + "]", section,
                        size ? Kind.BINARY_SIZE : Kind.BINARY, partial[0], partial[1], word.equals("BINARY")));
            }
            default -> throw ImapParseException.bad("unknown FETCH item " + word);
        }
    }

    /** {@code <origin.count>} or nothing. */
    private static long[] partial(CommandReader r) {
        if (!r.take('<')) {
            return new long[] {-1, 0};
        }
        long origin = r.number();
        r.expect('.', "'.' in the partial range");
        long count = r.nzNumber();
        r.expect('>', "'>' to close the partial range");
        return new long[] {origin, count};
    }
}
