package org.mailwarden.core.net;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.mailwarden.core.policy.IpRange;

/**
 * Reads the PROXY protocol header (HAProxy, versions 1 and 2) that a load balancer puts in front of a
 * connection to pass on the real client address. It reads exactly the header's bytes and nothing after
 * them (the next bytes may be a TLS handshake), and never resolves a name. The listener reads it only
 * from trusted peers; from anyone else a PROXY line is ordinary protocol input.
 */
final class ProxyProtocol {

    /** The real client (source) and the address it connected to (destination). */
    record Header(InetSocketAddress source, InetSocketAddress destination) {
    }

    /** The header is missing or malformed; the connection must be closed. */
    static final class ProxyProtocolException extends IOException {
        ProxyProtocolException(String message) {
            super(message);
        }
    }

    static final int V1_MAX_LENGTH = 107;
    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    private ProxyProtocol() {
    }

    /**
     * Reads one header.
     *
     * @return the addresses it carries, or empty when it says to use the connection's own (v1
     *         {@code UNKNOWN}, v2 {@code LOCAL} or an unsupported address family)
     */
    static Optional<Header> read(InputStream in) throws IOException {
        int first = in.read();
        if (first == 'P') {
            return readV1(in);
        }
        if (first == V2_SIGNATURE[0]) {
            return readV2(in);
        }
        throw new ProxyProtocolException(first < 0 ? "connection closed before the PROXY header"
                : "expected a PROXY protocol header from this trusted peer");
    }

    private static Optional<Header> readV1(InputStream in) throws IOException {
        byte[] line = new byte[V1_MAX_LENGTH];
        line[0] = 'P';
        int length = 1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed inside the PROXY header");
            }
            if (length == V1_MAX_LENGTH) {
                throw new ProxyProtocolException("PROXY v1 header longer than " + V1_MAX_LENGTH + " bytes");
            }
            line[length++] = (byte) b;
            if (b == '\n') {
                break;
            }
        }
        if (length < 2 || line[length - 2] != '\r') {
            throw new ProxyProtocolException("PROXY v1 header not terminated by CRLF");
        }
        String text = new String(line, 0, length - 2, StandardCharsets.US_ASCII);
        String[] fields = text.split(" ", -1);
        if (fields.length >= 2 && fields[0].equals("PROXY") && fields[1].equals("UNKNOWN")) {
            return Optional.empty();
        }
        if (fields.length != 6 || !fields[0].equals("PROXY") || !(fields[1].equals("TCP4") || fields[1].equals("TCP6"))) {
            throw new ProxyProtocolException("malformed PROXY v1 header");
        }
        int size = fields[1].equals("TCP4") ? 4 : 16;
        return Optional.of(new Header(
                new InetSocketAddress(address(fields[2], size), port(fields[4])),
                new InetSocketAddress(address(fields[3], size), port(fields[5]))));
    }

    private static InetAddress address(String text, int size) throws ProxyProtocolException {
        try {
            if (text.indexOf('/') < 0) {
                byte[] bytes = IpRange.parse(text).network();
                if (bytes.length == size) {
                    return InetAddress.getByAddress(bytes);
                }
            }
        } catch (IllegalArgumentException | UnknownHostException e) {
            // reported below
        }
        throw new ProxyProtocolException("malformed address in PROXY v1 header");
    }

    private static int port(String text) throws ProxyProtocolException {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')
                || (text.length() > 1 && text.charAt(0) == '0') || Integer.parseInt(text) > 65535) {
            throw new ProxyProtocolException("malformed port in PROXY v1 header");
        }
        return Integer.parseInt(text);
    }

    private static Optional<Header> readV2(InputStream in) throws IOException {
        byte[] fixed = readFully(in, 15);
        if (!Arrays.equals(fixed, 0, 11, V2_SIGNATURE, 1, 12)) {
            throw new ProxyProtocolException("bad PROXY v2 signature");
        }
        int versionCommand = fixed[11] & 0xff;
        int family = (fixed[12] & 0xff) >> 4;
        int length = ((fixed[13] & 0xff) << 8) | (fixed[14] & 0xff);
        if (versionCommand >> 4 != 2 || (versionCommand & 0x0f) > 1) {
            throw new ProxyProtocolException("unsupported PROXY v2 version or command");
        }
        // the length is at most 65535 by its encoding, so this is bounded
        byte[] rest = readFully(in, length);
        boolean local = (versionCommand & 0x0f) == 0;
        int addressLength = family == 1 ? 4 : family == 2 ? 16 : 0;
        if (local || addressLength == 0) {
            return Optional.empty();
        }
        if (length < 2 * addressLength + 4) {
            throw new ProxyProtocolException("PROXY v2 address block too short");
        }
        InetAddress source = InetAddress.getByAddress(Arrays.copyOfRange(rest, 0, addressLength));
        InetAddress destination = InetAddress.getByAddress(Arrays.copyOfRange(rest, addressLength, 2 * addressLength));
        int ports = 2 * addressLength;
        int sourcePort = ((rest[ports] & 0xff) << 8) | (rest[ports + 1] & 0xff);
        int destinationPort = ((rest[ports + 2] & 0xff) << 8) | (rest[ports + 3] & 0xff);
        return Optional.of(new Header(new InetSocketAddress(source, sourcePort),
                new InetSocketAddress(destination, destinationPort)));
    }

    private static byte[] readFully(InputStream in, int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length != length) {
            throw new EOFException("connection closed inside the PROXY header");
        }
        return bytes;
    }
}
