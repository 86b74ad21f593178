package org.mailwarden.smtp.outbound;

import java.io.IOException;
import java.io.InputStream;

/**
 * What a message body needs from the next hop, found by reading it once: octets above 127 anywhere need
 * 8BITMIME (RFC 6152); in the header section they are UTF-8 header fields, which need SMTPUTF8 (RFC 6532).
 */
record BodyTraits(boolean eightBit, boolean utf8Headers) {

    static BodyTraits scan(InputStream in) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        boolean eightBit = false;
        boolean utf8Headers = false;
        boolean inHeaders = true;
        int lineLength = 0;
        int previous = -1;
        int n;
        while ((n = in.read(buffer)) > 0) {
            for (int i = 0; i < n; i++) {
                int b = buffer[i] & 0xff;
                if (b >= 0x80) {
                    eightBit = true;
                    utf8Headers |= inHeaders;
                }
                if (inHeaders) {
                    if (b == '\n') {
                        // An empty line (CRLF or LF alone) ends the header section.
                        if (lineLength == 0 || lineLength == 1 && previous == '\r') {
                            inHeaders = false;
                        }
                        lineLength = 0;
                    } else {
                        lineLength++;
                    }
                    previous = b;
                } else if (eightBit) {
                    return new BodyTraits(true, utf8Headers);
                }
            }
        }
        return new BodyTraits(eightBit, utf8Headers);
    }
}
