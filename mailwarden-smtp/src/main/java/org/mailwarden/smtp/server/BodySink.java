package org.mailwarden.smtp.server;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Receives the octets of one message as it will be stored (after dot-unstuffing, or the raw BDAT
 * chunks) and checks them while they pass: size, bare CR or LF, line length and the number of Received
 * headers. Good octets go straight on to the spool, so memory stays bounded whatever the message size;
 * a spool that cannot be written (a full disk) is a problem too, answered with 452 or 451 like the
 * others rather than with a dropped connection. After the first problem nothing more is written; the caller keeps feeding until the end of the body
 * so that the SMTP stream stays in step, then asks {@link #finish()} for the verdict. Shared by DATA
 * and BDAT so both paths enforce exactly the same rules; an {@link OutputStream} so that a BDAT chunk
 * streams straight in with {@code LineReader.readExactly}. Closing it does not close the spool.
 */
final class BodySink extends OutputStream {

    private static final byte[] RECEIVED = "received:".getBytes(StandardCharsets.US_ASCII);

    private final OutputStream out;
    private final BodyLimits limits;
    private long size;
    private int lineLength;
    private boolean previousCr;
    private boolean inHeaders = true;
    private boolean receivedPrefix = true;
    private int hops;
    private BodyProblem problem;

    BodySink(OutputStream out, BodyLimits limits) {
        this.out = out;
        this.limits = limits;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] buf, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) {
            if (!inspect(buf[i])) {
                return; // a refused message is not worth the disk: stop writing
            }
        }
        try {
            out.write(buf, off, len);
        } catch (IOException e) {
            // our disk, not the client: read on to the end of the body, then answer 452 or 451
            problem = String.valueOf(e.getMessage()).contains("No space left") ? BodyProblem.NO_SPACE
                    : BodyProblem.SPOOL_FAILED;
        }
    }

    /** The first problem seen, or null when the whole body is acceptable. Call once the body has ended. */
    BodyProblem finish() {
        if (problem == null && previousCr) {
            problem = BodyProblem.BARE_NEWLINE; // a body ending in CR without LF (possible with BDAT)
        }
        return problem;
    }

    /** The first problem seen so far, without ending the body. */
    BodyProblem problem() {
        return problem;
    }

    long size() {
        return size;
    }

    /** Checks one octet; false once the body has a problem. */
    private boolean inspect(byte b) {
        if (problem != null) {
            return false;
        }
        size++;
        if (size > limits.maxSize()) {
            return fail(BodyProblem.TOO_BIG);
        }
        if (previousCr != (b == '\n')) {
            return fail(BodyProblem.BARE_NEWLINE); // CR without LF after it, or LF without CR before it
        }
        previousCr = b == '\r';
        if (b == '\n') {
            if (inHeaders && lineLength == 0) {
                inHeaders = false; // the empty line ends the header section
            }
            lineLength = 0;
            receivedPrefix = true;
            return true;
        }
        if (b == '\r') {
            return true;
        }
        if (inHeaders && receivedPrefix && lineLength < RECEIVED.length) {
            int lower = b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b;
            receivedPrefix = lower == RECEIVED[lineLength];
            if (receivedPrefix && lineLength == RECEIVED.length - 1 && ++hops > limits.maxHops()) {
                lineLength++;
                return fail(BodyProblem.TOO_MANY_HOPS);
            }
        }
        if (++lineLength > limits.maxLineLength()) {
            return fail(BodyProblem.LINE_TOO_LONG);
        }
        return true;
    }

    private boolean fail(BodyProblem p) {
        problem = p;
        return false;
    }
}
