package org.mailwarden.core.io;

import java.io.IOException;
import java.io.InputStream;

/**
 * The bytes of one message as received (CRLF line endings, no dot-stuffing), held in memory when small
 * and in a spool file when large, so that nothing on the receive path needs memory proportional to the
 * message size. {@link #open()} may be called more than once.
 */
public interface MessageContent {

    long size();

    InputStream open() throws IOException;
}
