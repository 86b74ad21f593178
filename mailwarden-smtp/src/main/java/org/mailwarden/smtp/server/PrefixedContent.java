package org.mailwarden.smtp.server;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import org.mailwarden.core.io.MessageContent;

/**
 * A received body with trace headers in front of it, without copying the body: the local copy
 * (Return-Path and Received) and the outbound copy (Received only) share one spool.
 */
record PrefixedContent(byte[] prefix, MessageContent body) implements MessageContent {

    @Override
    public long size() {
        return prefix.length + body.size();
    }

    @Override
    public InputStream open() throws IOException {
        return new SequenceInputStream(new ByteArrayInputStream(prefix), body.open());
    }
}
