package org.mailwarden.smtp.server;

/**
 * What the connection must do next after the session decided on some input. The session is pure
 * protocol logic; the connection driver performs these I/O steps and feeds the results back.
 */
sealed interface Step {

    /** Send the reply and read the next command. */
    record Send(Reply reply) implements Step {
    }

    /** Send the reply and close the connection. */
    record Hangup(Reply reply) implements Step {
    }

    /** Send 354, read the DATA body into {@code sink}, then call {@link SmtpSession#dataEnded()}. */
    record ReceiveData(Reply go, BodySink sink) implements Step {
    }

    /**
     * Read {@code size} octets of a BDAT chunk into {@code sink} (a {@link BodySink}, or nowhere for a
     * chunk that is refused but must still be read), then call {@link SmtpSession#chunkEnded()}.
     */
    record ReceiveChunk(long size, java.io.OutputStream sink) implements Step {
    }

    /**
     * Send the reply, drop every byte the client sent before it, run the TLS handshake, then call
     * {@link SmtpSession#tlsStarted(org.mailwarden.core.net.Connection.TlsInfo)}.
     */
    record StartTls(Reply ready) implements Step {
    }
}
