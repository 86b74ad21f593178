package org.mailwarden.imap.search;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.james.mime4j.codec.Base64InputStream;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.QuotedPrintableInputStream;
import org.apache.james.mime4j.util.CharsetUtil;
import org.mailwarden.imap.parser.NumberSet;
import org.mailwarden.imap.parser.SequenceSet;
import org.mailwarden.store.Mailboxes;
import org.mailwarden.store.Mailboxes.MessageEntry;
import org.mailwarden.store.mime.MessageStructure;
import org.mailwarden.store.mime.MessageStructure.Part;

/**
 * Evaluates a {@link SearchKey} over the messages of a selected mailbox. Cheap tests (flags, UIDs,
 * sizes, dates, MODSEQ) run first; a message's structure is read only when a key needs it, in batches;
 * header tests read the header block; BODY and TEXT stream each text part through Mime4j's base64 or
 * quoted-printable decoder and its charset, matching case-insensitively without holding the text
 * (see {@link TextScanner}). A search that reads content does so through the {@link ScanGate}, in
 * slices, so that it cannot take every core from the other sessions.
 */
public final class SearchEngine {

    private static final int BATCH = 500;
    /**
     * Header blocks up to this size are read with their batch: a batch then holds at most 8 MiB of
     * headers, where hostile messages with 1 MiB headers would make it 500 MiB.
     */
    private static final int BATCHED_HEADER = 16 * 1024;

    /** Resolves sequence sets (including {@code $} and {@code *}) against the session's view. */
    public interface Numbers {
        NumberSet sequenceNumbers(SequenceSet set);

        NumberSet uids(SequenceSet set);
    }

    /** A message of the view with its sequence number. */
    public record Candidate(long seq, MessageEntry entry) {
    }

    private final Mailboxes mailboxes;
    private final ScanGate gate;

    /** @param gate what a search that reads message content passes through, so it takes a bounded share */
    public SearchEngine(Mailboxes mailboxes, ScanGate gate) {
        this.mailboxes = mailboxes;
        this.gate = gate;
    }

    /**
     * The candidates that match, in view order.
     *
     * @throws ScanGate.BusyException when the search reads content and found no slot to do it in time
     */
    public List<Candidate> search(List<Candidate> candidates, SearchKey key, Numbers numbers)
            throws IOException, ScanGate.BusyException {
        SearchKey plan = Plan.order(key);
        Resolved resolved = new Resolved(numbers);
        if (!Plan.needsContent(plan)) {
            return scan(candidates, plan, resolved, null);
        }
        try (ScanGate.Turn turn = gate.enter()) {
            return scan(candidates, plan, resolved, turn);
        }
    }

    private List<Candidate> scan(List<Candidate> candidates, SearchKey plan, Resolved resolved, ScanGate.Turn turn)
            throws IOException, ScanGate.BusyException {
        List<Candidate> out = new ArrayList<>();
        for (int from = 0; from < candidates.size(); from += BATCH) {
            List<Candidate> batch = candidates.subList(from, Math.min(candidates.size(), from + BATCH));
            List<MessageStructure> structures = turn != null ? structures(batch) : null;
            List<byte[]> headers = structures != null && Plan.readsHeader(plan) ? headers(batch, structures) : null;
            for (int i = 0; i < batch.size(); i++) {
                Candidate c = batch.get(i);
                MessageStructure s = structures == null ? null : structures.get(i);
                if (s == STRUCTURE_GONE || headers != null && headers.get(i) == null) {
                    continue;
                }
                if (turn != null) {
                    turn.pause();
                }
                Message m = new Message(c, s);
                if (headers != null && headerEnd(s) <= BATCHED_HEADER) {
                    m.header = HeaderText.parse(headers.get(i), (int) s.root().headerOffset(), headerEnd(s));
                }
                if (matches(plan, m, resolved)) {
                    out.add(c);
                }
            }
        }
        return out;
    }

    /** Marks a message expunged by another session while it is searched: it matches nothing. */
    private static final MessageStructure STRUCTURE_GONE = new MessageStructure(new Part(0, 0, 0, 0, "text", "plain",
            List.of(), null, null, null, null, null, List.of(), List.of(), null, null, List.of()));

    private List<MessageStructure> structures(List<Candidate> batch) {
        List<MessageEntry> entries = batch.stream().map(Candidate::entry).toList();
        try {
            return mailboxes.structures(entries);
        } catch (org.mailwarden.store.StoreException e) {
            // one of them was expunged meanwhile: fetch them one by one
            List<MessageStructure> out = new ArrayList<>(entries.size());
            for (MessageEntry m : entries) {
                try {
                    out.add(mailboxes.structure(m));
                } catch (org.mailwarden.store.StoreException gone) {
                    out.add(STRUCTURE_GONE);
                }
            }
            return out;
        }
    }

    /**
     * The top-level header blocks of a batch in a few queries (one or two per message otherwise): what
     * makes a header SEARCH over a whole mailbox cheap. Null for a message whose body is gone.
     */
    private List<byte[]> headers(List<Candidate> batch, List<MessageStructure> structures) {
        List<MessageEntry> entries = new ArrayList<>(batch.size());
        List<Integer> counts = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            MessageStructure s = structures.get(i);
            entries.add(batch.get(i).entry());
            // a larger header is read on its own when a key asks for it
            counts.add(s == STRUCTURE_GONE || headerEnd(s) > BATCHED_HEADER ? 0 : headerEnd(s));
        }
        return mailboxes.bodyPrefixes(entries, counts);
    }

    /** Where the top-level header block ends, at most {@link HeaderText#MAX_HEADER} octets in. */
    private static int headerEnd(MessageStructure s) {
        Part root = s.root();
        return (int) Math.min(root.headerOffset() + root.headerSize(), root.headerOffset() + HeaderText.MAX_HEADER);
    }

    /** Sequence sets resolved and needles prepared once per search. */
    private static final class Resolved {
        private final Numbers numbers;
        private final java.util.Map<SequenceSet, NumberSet> seqs = new java.util.IdentityHashMap<>();
        private final java.util.Map<SequenceSet, NumberSet> uids = new java.util.IdentityHashMap<>();
        private final java.util.Map<String, TextScanner> scanners = new java.util.HashMap<>();

        TextScanner scanner(String needle) {
            return scanners.computeIfAbsent(needle, n -> new TextScanner(FoldedNeedle.of(n)));
        }

        Resolved(Numbers numbers) {
            this.numbers = numbers;
        }

        NumberSet seqs(SequenceSet set) {
            return seqs.computeIfAbsent(set, numbers::sequenceNumbers);
        }

        NumberSet uids(SequenceSet set) {
            return uids.computeIfAbsent(set, numbers::uids);
        }
    }

    /** The data of one message, read lazily. */
    private final class Message {
        final Candidate candidate;
        final MessageStructure structure;
        HeaderText header;

        Message(Candidate candidate, MessageStructure structure) {
            this.candidate = candidate;
            this.structure = structure;
        }

        MessageEntry entry() {
            return candidate.entry();
        }

        HeaderText header() throws IOException {
            if (header == null) {
                header = headerOf(entry(), structure.root());
            }
            return header;
        }
    }

    private HeaderText headerOf(MessageEntry m, Part message) throws IOException {
        try (InputStream in = mailboxes.openBody(m, message.headerOffset(), message.headerSize())) {
            return HeaderText.read(in, message.headerSize());
        }
    }

    private boolean matches(SearchKey key, Message m, Resolved resolved) throws IOException {
        MessageEntry e = m.entry();
        return switch (key) {
            case SearchKey.All all -> true;
            case SearchKey.And and -> {
                for (SearchKey k : and.keys()) {
                    if (!matches(k, m, resolved)) {
                        yield false;
                    }
                }
                yield true;
            }
            case SearchKey.Or or -> matches(or.left(), m, resolved) || matches(or.right(), m, resolved);
            case SearchKey.Not not -> !matches(not.key(), m, resolved);
            case SearchKey.Flag flag -> hasFlag(e, flag.flag()) == flag.present();
            case SearchKey.Recent recent -> false;
            case SearchKey.InternalDate d -> compare(e.internalDate().atOffset(ZoneOffset.UTC).toLocalDate(), d.test(), d.date());
            case SearchKey.SentDate d -> {
                LocalDate day = HeaderText.day(m.structure.root().envelope() == null ? null
                        : m.structure.root().envelope().date());
                yield day != null && compare(day, d.test(), d.date());
            }
            case SearchKey.Size size -> size.larger() ? e.size() > size.octets() : e.size() < size.octets();
            case SearchKey.Header h -> m.header().contains(h.field(), resolved.scanner(h.value()).needle());
            case SearchKey.Body b -> bodyContains(e, m.structure.root(), resolved.scanner(b.text()), false);
            case SearchKey.Text t -> {
                TextScanner scanner = resolved.scanner(t.text());
                yield m.header().anyContains(scanner.needle()) || bodyContains(e, m.structure.root(), scanner, false);
            }
            case SearchKey.Uids u -> resolved.uids(u.set()).contains(e.uid());
            case SearchKey.Sequence s -> resolved.seqs(s.set()).contains(m.candidate.seq());
            case SearchKey.ModSeq ms -> e.modSeq() >= ms.modSeq();
        };
    }

    private static boolean hasFlag(MessageEntry e, String flag) {
        for (String f : e.flags()) {
            if (f.equalsIgnoreCase(flag)) {
                return true;
            }
        }
        return false;
    }

    private static boolean compare(LocalDate day, SearchKey.DateTest test, LocalDate date) {
        return switch (test) {
            case BEFORE -> day.isBefore(date);
            case ON -> day.isEqual(date);
            case SINCE -> !day.isBefore(date);
        };
    }

    /**
     * Whether the decoded text parts (and the headers of encapsulated messages) below {@code part}
     * contain {@code needle}.
     */
    private boolean bodyContains(MessageEntry m, Part part, TextScanner scanner, boolean withHeader) throws IOException {
        if (withHeader && headerOf(m, part).anyContains(scanner.needle())) {
            return true;
        }
        if (part.isMultipart()) {
            for (Part child : part.parts()) {
                if (bodyContains(m, child, scanner, false)) {
                    return true;
                }
            }
            return false;
        }
        if (part.isMessage()) {
            return bodyContains(m, part.message(), scanner, true);
        }
        if (!part.isText()) {
            return false;
        }
        try (InputStream raw = mailboxes.openBody(m, part.bodyOffset(), part.bodySize())) {
            return scanner.contains(decoded(raw, part.encoding()), charset(part.param("charset")));
        }
    }

    private static InputStream decoded(InputStream raw, String encoding) {
        String e = encoding == null ? "" : encoding.strip().toLowerCase(Locale.ROOT);
        return switch (e) {
            case "base64" -> new Base64InputStream(raw, DecodeMonitor.SILENT);
            case "quoted-printable" -> new QuotedPrintableInputStream(raw, DecodeMonitor.SILENT);
            default -> raw;
        };
    }

    /** The part's charset; US-ASCII and unknown charsets are read as UTF-8, which covers both. */
    private static Charset charset(String name) {
        if (name == null || name.equalsIgnoreCase("us-ascii")) {
            return StandardCharsets.UTF_8;
        }
        Charset c = CharsetUtil.lookup(name.strip());
        return c == null ? StandardCharsets.UTF_8 : c;
    }

    /** Reorders conjunctions so cheap tests decide first. */
    static final class Plan {
        private Plan() {
        }

        static SearchKey order(SearchKey key) {
            return switch (key) {
                case SearchKey.And and -> new SearchKey.And(and.keys().stream().map(Plan::order)
                        .sorted(java.util.Comparator.comparingInt(Plan::cost)).toList());
                case SearchKey.Or or -> new SearchKey.Or(order(or.left()), order(or.right()));
                case SearchKey.Not not -> new SearchKey.Not(order(not.key()));
                default -> key;
            };
        }

        static int cost(SearchKey key) {
            return switch (key) {
                case SearchKey.And and -> and.keys().stream().mapToInt(Plan::cost).max().orElse(0);
                case SearchKey.Or or -> Math.max(cost(or.left()), cost(or.right()));
                case SearchKey.Not not -> cost(not.key());
                case SearchKey.SentDate d -> 1;
                case SearchKey.Header h -> 2;
                case SearchKey.Body b -> 3;
                case SearchKey.Text t -> 3;
                default -> 0;
            };
        }

        /** Whether the key reads a message's top-level header (a header field, or TEXT). */
        static boolean readsHeader(SearchKey key) {
            return switch (key) {
                case SearchKey.And and -> and.keys().stream().anyMatch(Plan::readsHeader);
                case SearchKey.Or or -> readsHeader(or.left()) || readsHeader(or.right());
                case SearchKey.Not not -> readsHeader(not.key());
                case SearchKey.Header h -> true;
                case SearchKey.Text t -> true;
                default -> false;
            };
        }

        static boolean needsContent(SearchKey key) {
            return cost(key) > 0;
        }
    }
}
