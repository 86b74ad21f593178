package org.mailwarden.imap.session;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.mailwarden.core.net.Line;
import org.mailwarden.imap.notify.ChangeMonitor;
import org.mailwarden.imap.parser.CommandReader;
import org.mailwarden.imap.response.ResponseWriter.Status;
import org.mailwarden.imap.session.SelectedMailbox.MailboxGoneException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * IDLE (RFC 2177): while the session's thread waits for the client's DONE, a second virtual thread
 * waits for the {@link ChangeMonitor} to report a change of the selected mailbox and sends the updates
 * (EXISTS, EXPUNGE, FETCH FLAGS) at once. The two threads never write at the same time: the session
 * thread writes again only after the notifier has stopped.
 */
final class IdleCommand implements Command.Action {

    private static final Logger LOG = LoggerFactory.getLogger(IdleCommand.class);

    @Override
    public void run(ImapSession s, String tag, String name, boolean uid, CommandReader args)
            throws IOException, CommandFailed, MailboxGoneException {
        args.end();
        s.sync(true);
        s.out().continuation("idling");
        s.out().flush();
        Notifier notifier = null;
        ChangeMonitor.Watch watch = null;
        if (s.state() == ImapSession.State.SELECTED) {
            notifier = new Notifier(s);
            watch = s.context().monitor().watch(s.selected().id(), s.selected().highestModSeq(), notifier::wake);
            notifier.start();
        }
        Line line;
        try {
            line = s.connection().reader().readLine();
        } finally {
            if (watch != null) {
                watch.close();
            }
            if (notifier != null) {
                notifier.stop();
            }
        }
        if (notifier != null) {
            notifier.rethrow();
        }
        if (line.isEof()) {
            throw new java.io.EOFException("the client left during IDLE");
        }
        if (line.ending() == Line.Ending.TOO_LONG) {
            s.connection().reader().skipRestOfLine();
        }
        String text = new String(line.bytes(), StandardCharsets.US_ASCII).strip();
        if (!text.equalsIgnoreCase("DONE")) {
            s.out().tagged(tag, Status.BAD, null, "Expected DONE to end IDLE");
            return;
        }
        s.ok(tag, null, "IDLE terminated");
    }

    /** Sends updates while the session idles. */
    private static final class Notifier {
        private final ImapSession session;
        private final Semaphore changes = new Semaphore(0);
        private volatile boolean stopping;
        private Thread thread;
        private Exception failure;

        Notifier(ImapSession session) {
            this.session = session;
        }

        void wake() {
            changes.release();
        }

        void start() {
            thread = Thread.ofVirtual().name("imap-idle").start(this::run);
        }

        private void run() {
            try {
                while (!stopping) {
                    // also look now and then without a signal, in case a change notice was lost
                    changes.tryAcquire(30, TimeUnit.SECONDS);
                    changes.drainPermits();
                    if (stopping) {
                        return;
                    }
                    session.sync(true);
                    session.out().flush();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (MailboxGoneException e) {
                // the session thread is blocked reading DONE: end the connection under it
                failure = e;
                try {
                    session.bye("The selected mailbox was deleted");
                    session.connection().close();
                } catch (IOException closing) {
                    LOG.debug("imap idle close: {}", closing.toString());
                }
            } catch (IOException | RuntimeException e) {
                failure = e;
                LOG.debug("imap idle notifier stopped: {}", e.toString());
            }
        }

        void stop() {
            stopping = true;
            changes.release();
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void rethrow() throws IOException, MailboxGoneException {
            switch (failure) {
                case null -> { }
                case IOException io -> throw io;
                case MailboxGoneException gone -> throw gone;
                case RuntimeException re -> throw re;
                default -> throw new IllegalStateException(failure);
            }
        }
    }
}
