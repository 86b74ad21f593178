package org.mailwarden.bench.jmh;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.parser.AbstractContentHandler;
import org.apache.james.mime4j.parser.MimeStreamParser;
import org.apache.james.mime4j.stream.BodyDescriptor;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.mailwarden.bench.load.MessageGenerator;
import org.mailwarden.store.mime.MessageStructure;
import org.mailwarden.store.mime.MimeScanner;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The MIME parse done once at delivery: mailwarden's {@link MimeScanner} (the store computes BODYSTRUCTURE,
 * ENVELOPE and part offsets with it when a message is stored), and for scale Apache Mime4j's streaming
 * parser making the same pass (every header field, every boundary, every body byte). Two messages: a
 * 5 KiB text/plain one (the common case) and a 64 KiB multipart/mixed one with an HTML alternative and
 * a base64 attachment.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class MimeParseBenchmark {

    @Param({"plain-5k", "multipart-64k"})
    public String message;

    private byte[] bytes;

    @Setup
    public void setUp() {
        bytes = message.equals("plain-5k") ? new MessageGenerator("alice@example.test").message(7, 5 * 1024) : multipart();
    }

    /** Counts what a structure computation would record. */
    private static final class Structure extends AbstractContentHandler {
        int fields;
        int parts;
        long bodyBytes;

        @Override
        public void field(Field field) {
            fields++;
        }

        @Override
        public void startBodyPart() {
            parts++;
        }

        @Override
        public void body(BodyDescriptor bd, InputStream is) throws IOException {
            byte[] buffer = new byte[8192];
            int r;
            while ((r = is.read(buffer)) > 0) {
                bodyBytes += r;
            }
        }
    }

    @Benchmark
    public MessageStructure mailwardenMimeScanner() throws IOException {
        return MimeScanner.scan(new ByteArrayInputStream(bytes));
    }

    @Benchmark
    public long mime4jStreamingParse() throws MimeException, IOException {
        MimeStreamParser parser = new MimeStreamParser(MimeConfig.PERMISSIVE);
        Structure s = new Structure();
        parser.setContentHandler(s);
        parser.parse(new ByteArrayInputStream(bytes));
        return s.fields + s.parts + s.bodyBytes;
    }

    private static byte[] multipart() {
        SplittableRandom random = new SplittableRandom(42);
        byte[] attachment = new byte[40 * 1024];
        random.nextBytes(attachment);
        String text = new String(new MessageGenerator("alice@example.test").message(3, 8 * 1024), StandardCharsets.US_ASCII);
        String body = text.substring(text.indexOf("\r\n\r\n") + 4);
        StringBuilder m = new StringBuilder();
        m.append("From: Bob <bob@sender.test>\r\nTo: Alice <alice@example.test>\r\nSubject: quarterly report\r\n")
                .append("Date: Mon, 5 Jan 2026 09:00:00 +0000\r\nMessage-ID: <mp.1@sender.test>\r\nMIME-Version: 1.0\r\n")
                .append("Content-Type: multipart/mixed; boundary=\"outer\"\r\n\r\nThis is a multi-part message.\r\n")
                .append("--outer\r\nContent-Type: multipart/alternative; boundary=\"inner\"\r\n\r\n")
                .append("--inner\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n").append(body)
                .append("--inner\r\nContent-Type: text/html; charset=us-ascii\r\n\r\n<html><body><p>")
                .append(body.replace("\r\n", "</p>\r\n<p>")).append("</p></body></html>\r\n--inner--\r\n")
                .append("--outer\r\nContent-Type: application/pdf; name=\"report.pdf\"\r\n")
                .append("Content-Disposition: attachment; filename=\"report.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
                .append(Base64.getMimeEncoder().encodeToString(attachment)).append("\r\n--outer--\r\n");
        return m.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
