package org.mailwarden.store.mime;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mailwarden.store.mime.MessageStructure.Address;
import org.mailwarden.store.mime.MessageStructure.Param;
import org.mailwarden.store.mime.MessageStructure.Part;

class MimeScannerTest {

    static final String NESTED = """
            From: "Doe, Jane" <jane@example.test>
            To: bob@example.test, Team: carol@example.test, "dave x" <dave@example.test>;
            Subject: =?utf-8?q?caf=C3=A9?= report
            Date: Mon, 6 May 2024 07:08:09 +0000
            Message-ID: <1@example.test>
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="outer"

            preamble
            --outer
            Content-Type: multipart/alternative; boundary=inner

            --inner
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: quoted-printable

            Hello=20world
            second line
            --inner
            Content-Type: text/html

            <p>Hello</p>
            --inner--
            --outer
            Content-Type: message/rfc822
            Content-Disposition: attachment; filename="fwd.eml"

            From: carol@example.test
            Subject: inner

            inner body
            --outer
            Content-Type: application/octet-stream; name="a.bin"
            Content-Transfer-Encoding: base64
            Content-Disposition: attachment;
             filename="a.bin"
            Content-Language: en, de
            Content-ID: <part4@example.test>

            AAEC
            --outer--
            epilogue
            """.replace("\n", "\r\n");

    private static MessageStructure scan(String message) throws IOException {
        return MimeScanner.scan(new ByteArrayInputStream(message.getBytes(UTF_8)));
    }

    private static String body(String message, Part p) {
        byte[] b = message.getBytes(UTF_8);
        return new String(Arrays.copyOfRange(b, (int) p.bodyOffset(), (int) (p.bodyOffset() + p.bodySize())), UTF_8);
    }

    private static String header(String message, Part p) {
        byte[] b = message.getBytes(UTF_8);
        return new String(Arrays.copyOfRange(b, (int) p.headerOffset(), (int) p.bodyOffset()), UTF_8);
    }

    @Test
    void nestedMultipartPartsHaveExactRanges() throws IOException {
        MessageStructure s = scan(NESTED);
        Part root = s.root();
        assertThat(root.type()).isEqualTo("multipart");
        assertThat(root.subtype()).isEqualTo("mixed");
        assertThat(root.headerOffset()).isZero();
        assertThat(header(NESTED, root)).startsWith("From:").endsWith("boundary=\"outer\"\r\n\r\n");
        assertThat(body(NESTED, root)).startsWith("preamble\r\n--outer").endsWith("--outer--\r\nepilogue\r\n");
        assertThat(root.parts()).hasSize(3);

        Part alternative = root.parts().get(0);
        assertThat(alternative.subtype()).isEqualTo("alternative");
        assertThat(alternative.parts()).hasSize(2);
        Part plain = alternative.parts().get(0);
        assertThat(body(NESTED, plain)).isEqualTo("Hello=20world\r\nsecond line");
        assertThat(plain.bodyLines()).isEqualTo(2);
        assertThat(plain.encoding()).isEqualTo("quoted-printable");
        assertThat(plain.params()).containsExactly(new Param("charset", "utf-8"));
        assertThat(header(NESTED, plain)).isEqualTo(
                "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n");
        Part html = alternative.parts().get(1);
        assertThat(body(NESTED, html)).isEqualTo("<p>Hello</p>");
        assertThat(html.params()).isEmpty();
        assertThat(body(NESTED, alternative)).isEqualTo("--inner\r\n" + header(NESTED, plain) + body(NESTED, plain)
                + "\r\n--inner\r\n" + header(NESTED, html) + "<p>Hello</p>\r\n--inner--");

        Part rfc822 = root.parts().get(1);
        assertThat(rfc822.isMessage()).isTrue();
        assertThat(rfc822.disposition()).isEqualTo("attachment");
        assertThat(rfc822.dispositionParams()).containsExactly(new Param("filename", "fwd.eml"));
        assertThat(body(NESTED, rfc822)).isEqualTo("From: carol@example.test\r\nSubject: inner\r\n\r\ninner body");
        assertThat(rfc822.bodyLines()).isEqualTo(4);
        Part inner = rfc822.message();
        assertThat(inner.headerOffset()).isEqualTo(rfc822.bodyOffset());
        assertThat(body(NESTED, inner)).isEqualTo("inner body");
        assertThat(inner.envelope().subject()).isEqualTo("inner");
        assertThat(inner.envelope().from()).containsExactly(new Address(null, null, "carol", "example.test"));

        Part bin = root.parts().get(2);
        assertThat(bin.type()).isEqualTo("application");
        assertThat(bin.params()).containsExactly(new Param("name", "a.bin"));
        assertThat(bin.disposition()).isEqualTo("attachment");
        assertThat(bin.dispositionParams()).containsExactly(new Param("filename", "a.bin"));
        assertThat(bin.language()).containsExactly("en", "de");
        assertThat(bin.id()).isEqualTo("<part4@example.test>");
        assertThat(body(NESTED, bin)).isEqualTo("AAEC");
    }

    @Test
    void envelopeKeepsEncodedWordsAndSplitsGroups() throws IOException {
        var e = scan(NESTED).root().envelope();
        assertThat(e.subject()).isEqualTo("=?utf-8?q?caf=C3=A9?= report");
        assertThat(e.date()).isEqualTo("Mon, 6 May 2024 07:08:09 +0000");
        assertThat(e.messageId()).isEqualTo("<1@example.test>");
        assertThat(e.from()).containsExactly(new Address("Doe, Jane", null, "jane", "example.test"));
        assertThat(e.sender()).isEqualTo(e.from());
        assertThat(e.replyTo()).isEqualTo(e.from());
        assertThat(e.to()).containsExactly(
                new Address(null, null, "bob", "example.test"),
                Address.groupStart("Team"),
                new Address(null, null, "carol", "example.test"),
                new Address("dave x", null, "dave", "example.test"),
                Address.GROUP_END);
        assertThat(e.cc()).isEmpty();
        assertThat(e.inReplyTo()).isNull();
    }

    @Test
    void aMessageWithoutMimeIsOneTextPart() throws IOException {
        String m = "Subject: plain\r\n\r\nline 1\r\nline 2\r\n";
        Part root = scan(m).root();
        assertThat(root.type()).isEqualTo("text");
        assertThat(root.subtype()).isEqualTo("plain");
        assertThat(root.params()).containsExactly(new Param("charset", "us-ascii"));
        assertThat(body(m, root)).isEqualTo("line 1\r\nline 2\r\n");
        assertThat(root.bodyLines()).isEqualTo(2);
        assertThat(root.parts()).isEmpty();
    }

    @Test
    void malformedMimeStillGivesAUsableStructure() throws IOException {
        // no close delimiter, a part whose header runs into the next boundary, bare LF line ends
        String m = "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n--b\n\nx\n";
        Part root = scan(m).root();
        assertThat(root.parts()).hasSize(2);
        assertThat(body(m, root.parts().get(0))).isEmpty();
        assertThat(body(m, root.parts().get(1))).isEqualTo("x\n");

        // a multipart without boundary lines gets one empty stand-in part
        String none = "Content-Type: multipart/mixed; boundary=zz\r\n\r\nno parts here\r\n";
        Part r2 = scan(none).root();
        assertThat(r2.parts()).hasSize(1);
        assertThat(r2.parts().getFirst().bodySize()).isZero();

        // a multipart without a boundary parameter is plain text
        assertThat(scan("Content-Type: multipart/mixed\r\n\r\nbody\r\n").root().type()).isEqualTo("text");
        // a header without a blank line: everything is header
        Part headerOnly = scan("Subject: x\r\nFrom: a@b").root();
        assertThat(headerOnly.bodySize()).isZero();
        assertThat(headerOnly.envelope().from()).containsExactly(new Address(null, null, "a", "b"));
        // empty input
        assertThat(scan("").root().bodySize()).isZero();
    }

    @Test
    void digestPartsDefaultToMessageRfc822() throws IOException {
        String m = "Content-Type: multipart/digest; boundary=d\r\n\r\n--d\r\n\r\nSubject: one\r\n\r\nfirst\r\n--d--\r\n";
        Part part = scan(m).root().parts().getFirst();
        assertThat(part.type()).isEqualTo("message");
        assertThat(part.subtype()).isEqualTo("rfc822");
        assertThat(part.message().envelope().subject()).isEqualTo("one");
        assertThat(body(m, part.message())).isEqualTo("first");
    }

    @Test
    void addressesInAllTheirForms() {
        assertThat(AddressParser.parse("\"a\\\"b\" <x@y>, (comment) plain@host, <@r1,@r2:z@w>, nodomain, =?utf-8?b?w6k=?= <e@f>"))
                .containsExactly(
                        new Address("a\"b", null, "x", "y"),
                        new Address(null, null, "plain", "host"),
                        new Address(null, "@r1,@r2", "z", "w"),
                        new Address(null, null, "nodomain", AddressParser.MISSING_HOST),
                        new Address("=?utf-8?b?w6k=?=", null, "e", "f"));
        assertThat(AddressParser.parse("undisclosed-recipients:;"))
                .containsExactly(Address.groupStart("undisclosed-recipients"), Address.GROUP_END);
        assertThat(AddressParser.parse("\"quoted local\"@example.test"))
                .containsExactly(new Address(null, null, "quoted local", "example.test"));
        assertThat(AddressParser.parse("")).isEmpty();
        assertThat(AddressParser.parse("<>")).containsExactly(new Address(null, null, null, AddressParser.MISSING_HOST));
    }

    @Test
    void codecRoundTrips() throws IOException {
        MessageStructure s = scan(NESTED);
        assertThat(StructureCodec.decode(StructureCodec.encode(s))).isEqualTo(s);
        byte[] data = StructureCodec.encode(s);
        assertThat(data.length).isLessThan(1200);
        for (int cut : List.of(0, 1, 10, data.length / 2, data.length - 1)) {
            byte[] damaged = Arrays.copyOf(data, cut);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> StructureCodec.decode(damaged))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
