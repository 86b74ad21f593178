package org.mailwarden.smtp.server;

import java.nio.file.Path;
import java.util.Set;
import org.mailwarden.core.address.EsmtpParameter;
import org.mailwarden.core.address.PathParser;
import org.mailwarden.core.io.Spool;
import org.mailwarden.store.RuntimeConfig;
import org.mailwarden.store.Store;

/**
 * What every SMTP session of a server shares: the host name it announces, the store, the policy
 * snapshot source, the envelope checks, authentication and where bodies are spooled. Thread-safe.
 */
record SmtpContext(String hostname, Store store, RuntimeConfig.View<PolicySnapshot> policy, EnvelopeChecks checks,
                   Authentication authentication, Path spoolDir) {

    private static final PathParser ESMTP = new PathParser(java.util.EnumSet.allOf(EsmtpParameter.class));
    private static final PathParser PLAIN = new PathParser(Set.of());

    /** The path parser for a session: with every advertised parameter after EHLO, with none after HELO. */
    PathParser parser(boolean esmtp) {
        return esmtp ? ESMTP : PLAIN;
    }

    /** A spool for one body: in memory while small, then in a file under {@link #spoolDir()}. */
    Spool.Writer newSpool(long maxSize) {
        return Spool.writer(spoolDir, Spool.DEFAULT_MEMORY_THRESHOLD, maxSize);
    }
}
