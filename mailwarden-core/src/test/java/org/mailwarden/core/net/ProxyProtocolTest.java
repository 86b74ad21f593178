package org.mailwarden.core.net;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProxyProtocolTest {

    private static final byte[] SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    private static ByteArrayInputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(US_ASCII));
    }

    private static Optional<ProxyProtocol.Header> parse(String text) throws IOException {
        return ProxyProtocol.read(stream(text));
    }

    private static ProxyProtocol.Header header(String source, int sourcePort, String destination, int destinationPort) {
        return new ProxyProtocol.Header(new InetSocketAddress(source, sourcePort),
                new InetSocketAddress(destination, destinationPort));
    }

    @Test
    void v1Tcp4ReadsExactlyTheHeader() throws Exception {
        ByteArrayInputStream in = stream("PROXY TCP4 203.0.113.7 192.0.2.1 56324 25\r\nEHLO x\r\n");
        assertThat(ProxyProtocol.read(in)).contains(header("203.0.113.7", 56324, "192.0.2.1", 25));
        assertThat(new String(in.readAllBytes(), US_ASCII)).isEqualTo("EHLO x\r\n");
    }

    @Test
    void v1Tcp6AndUnknown() throws Exception {
        assertThat(parse("PROXY TCP6 2001:db8::7 2001:db8::1 65535 993\r\n"))
                .contains(header("2001:db8::7", 65535, "2001:db8::1", 993));
        assertThat(parse("PROXY UNKNOWN\r\n")).isEmpty();
        assertThat(parse("PROXY UNKNOWN ffff:f...f:ffff ffff:f...f:ffff 65535 65535\r\n")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "PROXY TCP4 203.0.113.7 192.0.2.1 56324 25\n",
            "PROXY TCP4 203.0.113.7 192.0.2.1 56324\r\n",
            "PROXY TCP4 2001:db8::7 192.0.2.1 56324 25\r\n",
            "PROXY TCP6 203.0.113.7 2001:db8::1 56324 25\r\n",
            "PROXY TCP4 mail.example.test 192.0.2.1 56324 25\r\n",
            "PROXY TCP4 203.0.113.0/24 192.0.2.1 56324 25\r\n",
            "PROXY TCP4 203.0.113.7 192.0.2.1 65536 25\r\n",
            "PROXY TCP4 203.0.113.7 192.0.2.1 0025 25\r\n",
            "PROXY TCP4  203.0.113.7 192.0.2.1 1 25\r\n",
            "PROXY UDP4 203.0.113.7 192.0.2.1 1 25\r\n",
            "PRoXY TCP4 203.0.113.7 192.0.2.1 1 25\r\n",
            "EHLO client.example.test\r\n"})
    void malformedV1(String text) {
        assertThatThrownBy(() -> parse(text)).isInstanceOf(ProxyProtocol.ProxyProtocolException.class);
    }

    @Test
    void v1LongerThan107BytesIsRefusedWithoutReadingOn() {
        ByteArrayInputStream in = stream("PROXY UNKNOWN " + "x".repeat(200) + "\r\n");
        assertThatThrownBy(() -> ProxyProtocol.read(in)).isInstanceOf(ProxyProtocol.ProxyProtocolException.class)
                .hasMessage("PROXY v1 header longer than 107 bytes");
        assertThat(in.available()).isEqualTo(200 + 16 - 108);
    }

    @Test
    void truncatedHeaders() {
        assertThatThrownBy(() -> parse("PROXY TCP4 1.2.3.4")).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> parse("")).isInstanceOf(ProxyProtocol.ProxyProtocolException.class);
        assertThatThrownBy(() -> ProxyProtocol.read(new ByteArrayInputStream(SIGNATURE)))
                .isInstanceOf(EOFException.class);
    }

    private static byte[] v2(int versionCommand, int family, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(SIGNATURE);
        out.write(versionCommand);
        out.write(family);
        out.write(body.length >> 8);
        out.write(body.length & 0xff);
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void v2Inet4WithTlvsReadsExactlyTheHeader() throws Exception {
        byte[] body = concat(new byte[] {(byte) 203, 0, 113, 7}, new byte[] {(byte) 192, 0, 2, 1},
                new byte[] {(byte) 0xDC, 0x04, 0x00, 0x19}, new byte[] {0x04, 0x00, 0x03, 'a', 'b', 'c'});
        // the TLS ClientHello that follows must stay unread
        ByteArrayInputStream in = new ByteArrayInputStream(concat(v2(0x21, 0x11, body), new byte[] {0x16, 0x03, 0x01}));
        assertThat(ProxyProtocol.read(in)).contains(header("203.0.113.7", 56324, "192.0.2.1", 25));
        assertThat(in.readAllBytes()).containsExactly(0x16, 0x03, 0x01);
    }

    @Test
    void v2Inet6() throws Exception {
        byte[] source = java.net.InetAddress.getByName("2001:db8::7").getAddress();
        byte[] destination = java.net.InetAddress.getByName("2001:db8::1").getAddress();
        byte[] body = concat(source, destination, new byte[] {0x00, 0x50, 0x03, (byte) 0xE1});
        assertThat(ProxyProtocol.read(new ByteArrayInputStream(v2(0x21, 0x21, body))))
                .contains(header("2001:db8::7", 80, "2001:db8::1", 993));
    }

    @Test
    void v2LocalAndUnspecifiedFamilyUseTheConnectionsOwnAddresses() throws Exception {
        ByteArrayInputStream local = new ByteArrayInputStream(concat(v2(0x20, 0x00, new byte[0]), new byte[] {'X'}));
        assertThat(ProxyProtocol.read(local)).isEmpty();
        assertThat(local.read()).isEqualTo('X');
        assertThat(ProxyProtocol.read(new ByteArrayInputStream(v2(0x21, 0x31, new byte[216])))).isEmpty();
    }

    @Test
    void malformedV2() {
        assertThatThrownBy(() -> ProxyProtocol.read(new ByteArrayInputStream(v2(0x11, 0x11, new byte[12]))))
                .isInstanceOf(ProxyProtocol.ProxyProtocolException.class);
        assertThatThrownBy(() -> ProxyProtocol.read(new ByteArrayInputStream(v2(0x22, 0x11, new byte[12]))))
                .isInstanceOf(ProxyProtocol.ProxyProtocolException.class);
        assertThatThrownBy(() -> ProxyProtocol.read(new ByteArrayInputStream(v2(0x21, 0x11, new byte[11]))))
                .isInstanceOf(ProxyProtocol.ProxyProtocolException.class).hasMessage("PROXY v2 address block too short");
        byte[] badSignature = v2(0x21, 0x11, new byte[12]);
        badSignature[5] = 'X';
        assertThatThrownBy(() -> ProxyProtocol.read(new ByteArrayInputStream(badSignature)))
                .isInstanceOf(ProxyProtocol.ProxyProtocolException.class).hasMessage("bad PROXY v2 signature");
    }

    @Provide
    Arbitrary<byte[]> headerLike() {
        Arbitrary<byte[]> v1 = Arbitraries.strings().withChars("PROXY TCP46UNKOW0123456789.:abcdef\r\n /")
                .ofMaxLength(130).map(s -> ("PROXY " + s).getBytes(US_ASCII));
        Arbitrary<byte[]> v2 = Arbitraries.bytes().array(byte[].class).ofMaxSize(80)
                .map(b -> concat(java.util.Arrays.copyOf(SIGNATURE, 12), b));
        return Arbitraries.oneOf(v1, v2, Arbitraries.bytes().array(byte[].class).ofMaxSize(120));
    }

    @Property(tries = 3000)
    void anyInputGivesAHeaderOrAnIoExceptionAndNeverReadsPastTheHeaderLimit(@ForAll("headerLike") byte[] input) {
        ByteArrayInputStream in = new ByteArrayInputStream(input);
        try {
            ProxyProtocol.read(in);
        } catch (IOException e) {
            // ProxyProtocolException or EOFException: the listener closes the connection
        }
        int consumed = input.length - in.available();
        assertThat(consumed).isLessThanOrEqualTo(Math.max(ProxyProtocol.V1_MAX_LENGTH, 16 + 65535));
        if (input.length > 0 && input[0] == 'P') {
            assertThat(consumed).isLessThanOrEqualTo(ProxyProtocol.V1_MAX_LENGTH + 1);
        }
    }
}
