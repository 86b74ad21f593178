package org.mailwarden.bench.jmh;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.mailwarden.core.net.LineReader;
import org.mailwarden.imap.fetch.FetchItems;
import org.mailwarden.imap.parser.CommandReader;
import org.mailwarden.imap.parser.ImapLimits;
import org.mailwarden.imap.parser.SequenceSet;
import org.mailwarden.imap.search.SearchKey;
import org.mailwarden.imap.search.SearchParser;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * IMAP command parsing as the session does it: the command line is read by {@link CommandReader} from a
 * {@link LineReader}, the tag and command name taken, then the command's arguments — for FETCH the
 * sequence set and {@link FetchItems}, for SEARCH a {@link SearchParser} key — exactly the calls
 * {@code ImapSession}, {@code FetchCommand} and {@code SearchCommand} make. The reader reads from an
 * endless repetition of the command, so one reader serves every invocation, as one does a session.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ImapCommandParseBenchmark {

    /** What mail clients send most: a desktop client's header fetch, a phone's body fetch, a search. */
    @Param({"uid-fetch-headers", "fetch-body", "search"})
    public String command;

    private CommandReader reader;

    @Setup
    public void setUp() throws IOException {
        String line = switch (command) {
            case "uid-fetch-headers" -> "a17 UID FETCH 4120:4180,4200:* (UID RFC822.SIZE FLAGS BODY.PEEK[HEADER.FIELDS (From To Cc Subject Date Message-ID Content-Type)])";
            case "fetch-body" -> "a18 FETCH 812 (FLAGS BODY.PEEK[1.2]<0.16384> BODYSTRUCTURE)";
            case "search" -> "a19 UID SEARCH UNSEEN SINCE 1-Jan-2026 OR FROM \"alice@example.test\" SUBJECT \"quarterly report\" NOT DELETED";
            default -> throw new IllegalArgumentException(command);
        };
        reader = new CommandReader(new LineReader(new Repeating((line + "\r\n").getBytes(StandardCharsets.US_ASCII)), 64 * 1024),
                ImapLimits.defaults(50L << 20), () -> { });
        parse(); // fails here, not in the measurement, if the grammar changed
    }

    @Benchmark
    public Object parse() throws IOException {
        reader.next();
        reader.tag();
        reader.sp();
        String name = reader.keyword();
        if (name.equals("UID")) {
            reader.sp();
            name = reader.keyword();
        }
        reader.sp();
        Object parsed;
        if (name.equals("FETCH")) {
            SequenceSet set = reader.sequenceSet();
            reader.sp();
            FetchItems items = FetchItems.parse(reader);
            parsed = items.bodies().size() + set.hashCode();
        } else {
            SearchKey key = SearchParser.parse(reader);
            parsed = key;
        }
        reader.end();
        return parsed;
    }

    /** The same bytes over and over, never at an end. */
    private static final class Repeating extends InputStream {
        private final byte[] bytes;
        private int pos;

        Repeating(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public int read() {
            int b = bytes[pos] & 0xff;
            pos = (pos + 1) % bytes.length;
            return b;
        }

        @Override
        public int read(byte[] into, int off, int len) {
            int n = Math.min(len, bytes.length - pos);
            System.arraycopy(bytes, pos, into, off, n);
            pos = (pos + n) % bytes.length;
            return n;
        }
    }
}
