package org.mailwarden.reliability.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.mailwarden.store.Accounts;
import org.mailwarden.store.Mailboxes;
import org.mailwarden.store.Queue;
import org.mailwarden.store.Store;

/**
 * Everything a store holds, read back through the storage SPI as an administrator's tools would: every
 * message of every mailbox of every account, and every queued message, each with its Message-ID and its
 * exact stored octets. Reading every body also proves the body storage is readable to the last octet.
 */
public final class StoredMail {

    /**
     * One stored copy of a message.
     *
     * @param location  {@code user@domain/MAILBOX} or {@code queue}
     * @param messageId the Message-ID header's value, or "" when there is none
     * @param pending   for a queued copy, whether some recipient still waits for delivery (PENDING or
     *                  DEFERRED); false for mailbox copies
     */
    public record Copy(String location, String messageId, byte[] octets, boolean pending) {
        /** Whether the stored copy ends with exactly {@code original} (the server only prepends trace headers). */
        public boolean endsWith(byte[] original) {
            if (octets.length < original.length) {
                return false;
            }
            return java.util.Arrays.equals(octets, octets.length - original.length, octets.length, original, 0,
                    original.length);
        }
    }

    private StoredMail() {
    }

    /** Every copy in every mailbox and in the outbound queue. */
    public static List<Copy> readAll(Store store) {
        List<Copy> out = new ArrayList<>();
        Mailboxes mailboxes = store.mailboxes();
        for (Accounts.Account account : store.accounts().list(null)) {
            for (Mailboxes.Mailbox box : mailboxes.list(account.id())) {
                for (Mailboxes.MessageEntry entry : mailboxes.messages(box.id())) {
                    byte[] octets = read(mailboxes.openBody(entry), entry.size());
                    out.add(new Copy(account.address() + "/" + box.name(), messageId(octets), octets, false));
                }
            }
        }
        Queue queue = store.queue();
        for (Queue.QueuedMessage m : queue.list()) {
            byte[] octets = read(queue.openBody(m), m.size());
            boolean pending = m.recipients().stream().anyMatch(r -> r.state() == Queue.RecipientState.PENDING
                    || r.state() == Queue.RecipientState.DEFERRED);
            out.add(new Copy("queue", messageId(octets), octets, pending));
        }
        return out;
    }

    private static byte[] read(InputStream body, long size) {
        try (InputStream in = body) {
            byte[] octets = in.readAllBytes();
            if (octets.length != size) {
                throw new IllegalStateException("stored body has " + octets.length + " octets, the index says " + size);
            }
            return octets;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Message-ID header of a message (first one, unfolded, without angle brackets), or "". */
    public static String messageId(byte[] octets) {
        String text = new String(octets, 0, Math.min(octets.length, 64 * 1024), StandardCharsets.ISO_8859_1);
        for (String line : text.split("\r\n")) {
            if (line.isEmpty()) {
                break;
            }
            if (line.toLowerCase(Locale.ROOT).startsWith("message-id:")) {
                return line.substring(11).strip().replaceAll("^<|>$", "");
            }
        }
        return "";
    }
}
