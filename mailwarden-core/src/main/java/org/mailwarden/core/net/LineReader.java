package org.mailwarden.core.net;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;

/**
 * Reads protocol lines and raw byte runs from a connection's input with bounded memory: one fixed read
 * buffer plus at most {@code maxLineLength} bytes for the line being assembled, whatever the client sends.
 *
 * <p>{@link #readLine()} always returns a {@link Line}; over-long lines, bare LF terminators, bare CRs and
 * the end of the stream are reported in the result, never thrown, so each protocol answers them itself.
 * After a {@link Line.Ending#TOO_LONG} line the protocol either reads on (the next call returns the line's
 * continuation) or resynchronises with {@link #skipRestOfLine()}, which discards at most
 * {@code maxDiscard} bytes. A read that waits longer than the socket's SO_TIMEOUT throws
 * {@link IdleTimeoutException}, and so does a line that is still incomplete when the
 * {@linkplain #setLineDeadline line deadline} has passed since its first bytes arrived (a client trickling a
 * byte at a time cannot hold a session with one endless line). A reader that keeps finding input waiting
 * lets other sessions go first from time to time ({@link FairShare}). Not thread-safe: one reader belongs to
 * one session thread.
 */
public final class LineReader {

    public static final int DEFAULT_MAX_LINE_LENGTH = 4096;
    static final int BUFFER_SIZE = 8192;

    private static final byte CR = '\r';
    private static final byte LF = '\n';

    private final InputStream in;
    private final byte[] buffer = new byte[BUFFER_SIZE];
    private int pos;
    private int limit;
    private int maxLineLength;
    private long maxDiscard;
    private byte[] line = new byte[256];
    private final FairShare share;
    /** Zero: no deadline. */
    private long lineDeadlineNanos;
    /** When the last read that returned bytes returned (only kept while a deadline is set). */
    private long filledAt;

    /**
     * @param maxLineLength the most bytes a line may hold, not counting its CR LF
     */
    public LineReader(InputStream in, int maxLineLength) {
        this(in, maxLineLength, FairShare.none());
    }

    /** A server session's reader, which takes its turns in {@code share}. */
    LineReader(InputStream in, int maxLineLength, FairShare share) {
        this.in = in;
        this.share = share;
        setMaxLineLength(maxLineLength);
    }

    /**
     * Changes the line length limit, e.g. for a protocol state that allows longer lines. The bound of
     * {@link #skipRestOfLine()} becomes 64 times the limit, at least 64 KiB.
     */
    public void setMaxLineLength(int maxLineLength) {
        if (maxLineLength < 1) {
            throw new IllegalArgumentException("maxLineLength must be at least 1");
        }
        this.maxLineLength = maxLineLength;
        this.maxDiscard = Math.max(64L * 1024, 64L * maxLineLength);
    }

    public int maxLineLength() {
        return maxLineLength;
    }

    /**
     * How long a line may take to arrive once its first bytes have: past it, the next read of that line
     * throws {@link IdleTimeoutException} (a client that sends nothing at all meets the socket's idle timeout
     * instead). Zero (the default) means no deadline.
     */
    public void setLineDeadline(Duration deadline) {
        if (deadline.isNegative()) {
            throw new IllegalArgumentException("negative line deadline");
        }
        this.lineDeadlineNanos = deadline.toNanos();
    }

    /** Reads the next line, or what there is of it; see {@link Line.Ending} for the possible endings. */
    public Line readLine() throws IOException {
        int length = 0;
        boolean bareCr = false;
        long began; // when the line's first bytes arrived, 0 while none have
        if (pos < limit) {
            share.busy();
            began = filledAt;
        } else {
            began = 0;
        }
        while (true) {
            if (pos == limit) {
                if (began != 0) {
                    checkDeadline(began);
                }
                if (!readMore()) {
                    return line(length, Line.Ending.EOF, bareCr);
                }
                if (began == 0) {
                    began = filledAt;
                }
            }
            int stop = Math.min(limit, pos + (maxLineLength - length));
            int end = pos;
            while (end < stop && buffer[end] != CR && buffer[end] != LF) {
                end++;
            }
            length = append(length, pos, end - pos);
            pos = end;
            if (pos == limit) {
                continue;
            }
            if (buffer[pos] == LF) {
                pos++;
                return line(length, Line.Ending.LF, bareCr);
            }
            if (buffer[pos] != CR) {
                return line(length, Line.Ending.TOO_LONG, bareCr);
            }
            // a CR ends the line only when LF follows; look ahead without consuming it
            if (pos + 1 == limit && !readMore()) {
                if (length == maxLineLength) {
                    return line(length, Line.Ending.TOO_LONG, bareCr);
                }
                pos++;
                return line(append(length, CR), Line.Ending.EOF, true);
            }
            if (buffer[pos + 1] == LF) {
                pos += 2;
                return line(length, Line.Ending.CRLF, bareCr);
            }
            if (length == maxLineLength) {
                return line(length, Line.Ending.TOO_LONG, bareCr);
            }
            pos++;
            length = append(length, CR);
            bareCr = true;
        }
    }

    /**
     * Discards the rest of the current line, through its LF, after a {@link Line.Ending#TOO_LONG} result.
     *
     * @return true when the end of the line was found; false when the stream ended or more than the discard
     *         bound (64 times the line limit, at least 64 KiB) went by without one, in which case the
     *         protocol should close the connection
     */
    public boolean skipRestOfLine() throws IOException {
        long discarded = 0;
        while (discarded < maxDiscard) {
            if (pos == limit && !readMore()) {
                return false;
            }
            share.busy();
            int stop = (int) Math.min(limit, pos + (maxDiscard - discarded));
            for (int i = pos; i < stop; i++) {
                if (buffer[i] == LF) {
                    discarded += i + 1 - pos;
                    pos = i + 1;
                    return true;
                }
            }
            discarded += stop - pos;
            pos = stop;
        }
        return false;
    }

    /**
     * Copies exactly {@code count} raw bytes (an IMAP literal, a BDAT chunk) to {@code out}, streaming
     * through the fixed buffer.
     *
     * @throws EOFException when the stream ends first
     */
    public void readExactly(long count, OutputStream out) throws IOException {
        if (count < 0) {
            throw new IllegalArgumentException("negative count");
        }
        long remaining = count;
        while (remaining > 0) {
            if (pos == limit && !readMore()) {
                throw new EOFException("the stream ended " + remaining + " bytes before the end of a "
                        + count + "-byte block");
            }
            share.busy();
            int n = (int) Math.min(remaining, limit - pos);
            out.write(buffer, pos, n);
            pos += n;
            remaining -= n;
        }
    }

    /**
     * How many bytes the client has sent that this reader holds but nobody has read yet. Non-zero right
     * after a command means the client pipelined (or talked before the greeting).
     */
    public int buffered() {
        return limit - pos;
    }

    /** {@link #buffered()} plus what the operating system holds for the socket, read without blocking. */
    public long available() {
        try {
            return buffered() + (long) in.available();
        } catch (IOException e) {
            return buffered();
        }
    }

    /**
     * Drops every buffered byte and returns how many there were. Used when the stream below changes
     * (STARTTLS): bytes received before the switch must never be read as if they came after it.
     */
    int discardBuffered() {
        int n = limit - pos;
        pos = 0;
        limit = 0;
        return n;
    }

    /**
     * Moves the unread bytes to the front of the buffer and reads more after them.
     *
     * @return false at the end of the stream
     */
    private boolean readMore() throws IOException {
        int unread = limit - pos;
        System.arraycopy(buffer, pos, buffer, 0, unread);
        pos = 0;
        limit = unread;
        int n;
        share.pause();
        try {
            n = in.read(buffer, limit, buffer.length - limit);
        } catch (SocketTimeoutException e) {
            IdleTimeoutException timeout = new IdleTimeoutException();
            timeout.initCause(e);
            throw timeout;
        }
        if (n <= 0) {
            return false;
        }
        if (lineDeadlineNanos != 0) {
            filledAt = System.nanoTime() | 1;
        }
        limit += n;
        return true;
    }

    private void checkDeadline(long began) throws IdleTimeoutException {
        if (lineDeadlineNanos != 0 && System.nanoTime() - began > lineDeadlineNanos) {
            throw new IdleTimeoutException("line deadline: a line took longer than "
                    + Duration.ofNanos(lineDeadlineNanos).toSeconds() + " s to arrive");
        }
    }

    private int append(int length, int from, int count) {
        if (count > 0) {
            ensure(length + count);
            System.arraycopy(buffer, from, line, length, count);
        }
        return length + count;
    }

    private int append(int length, byte b) {
        ensure(length + 1);
        line[length] = b;
        return length + 1;
    }

    private void ensure(int capacity) {
        if (capacity > line.length) {
            line = Arrays.copyOf(line, Math.min(Math.max(capacity, line.length * 2), maxLineLength));
        }
    }

    private Line line(int length, Line.Ending ending, boolean bareCr) {
        return new Line(Arrays.copyOf(line, length), ending, bareCr);
    }
}
