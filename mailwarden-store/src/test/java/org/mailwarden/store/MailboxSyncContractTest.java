package org.mailwarden.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mailwarden.store.Mailboxes.Changes;
import org.mailwarden.store.Mailboxes.Copied;
import org.mailwarden.store.Mailboxes.FlagOperation;
import org.mailwarden.store.Mailboxes.FlagUpdate;
import org.mailwarden.store.Mailboxes.Mailbox;
import org.mailwarden.store.Mailboxes.MessageEntry;
import org.mailwarden.store.mime.MessageStructure;
import org.mailwarden.store.testing.TestContent;

/**
 * What IMAP sessions rely on beyond plain storage, on each backend: changes since a MODSEQ (new
 * messages, flag changes, expunges), conditional flag updates, copy and move with their UIDs, MIME
 * structures computed at delivery and shared with copies, and body slices.
 */
public abstract class MailboxSyncContractTest {

    private static final String MULTIPART = "Subject: parts\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
            + "--b\r\nContent-Type: text/plain\r\n\r\nfirst\r\n--b\r\nContent-Type: text/html\r\n\r\n<b>x</b>\r\n--b--\r\n";

    protected Store store;
    private long account;
    private Mailboxes boxes;

    protected abstract Store openStore();

    @BeforeEach
    void openFreshStore() {
        store = openStore();
        store.domains().add("example.test", null);
        account = store.accounts().add("alice", "example.test", "$argon2id$x", "keys").id();
        boxes = store.mailboxes();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    private Mailbox box(String name) {
        return boxes.find(account, name).orElseThrow();
    }

    private long append(String name, String text, String... flags) {
        return boxes.append(box(name).id(), TestContent.of(text), Set.of(flags), null).uid();
    }

    private static String text(InputStream in) throws IOException {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void changesSinceReportNewFlaggedAndExpungedMessagesInCommitOrder() {
        long inbox = box("INBOX").id();
        append("INBOX", "one\r\n");
        append("INBOX", "two\r\n");
        long seen = box("INBOX").highestModSeq();

        append("INBOX", "three\r\n");
        boxes.updateFlags(inbox, List.of(1L), FlagOperation.ADD, Set.of("\\Seen"), -1);
        boxes.expunge(inbox, List.of(2L));

        Changes changes = boxes.changesSince(inbox, seen).orElseThrow();
        assertThat(changes.changed()).extracting(MessageEntry::uid).containsExactly(1L, 3L);
        assertThat(changes.changed().getFirst().flags()).containsExactly("\\Seen");
        assertThat(changes.expunged()).containsExactly(2L);
        assertThat(changes.mailbox().highestModSeq()).isGreaterThan(seen);
        assertThat(boxes.changesSince(inbox, changes.mailbox().highestModSeq()).orElseThrow().changed()).isEmpty();
        assertThat(boxes.changesSince(999_999, 0)).isEmpty();
        assertThat(boxes.get(inbox)).contains(changes.mailbox());
        assertThat(boxes.get(List.of(inbox, 999_999L, box("Sent").id()))).extracting(Mailbox::name)
                .containsExactlyInAnyOrder("INBOX", "Sent");
    }

    @Test
    void flagUpdatesAddRemoveAndRespectUnchangedSince() {
        long inbox = box("INBOX").id();
        append("INBOX", "a\r\n", "\\Seen");
        append("INBOX", "b\r\n");
        long before = box("INBOX").highestModSeq();

        FlagUpdate add = boxes.updateFlags(inbox, List.of(1L, 2L, 9L), FlagOperation.ADD, Set.of("\\seen", "$Work"), -1);
        assertThat(add.updated()).extracting(MessageEntry::uid).containsExactly(1L, 2L);
        assertThat(add.updated().get(0).flags()).containsExactlyInAnyOrder("\\Seen", "$Work");
        assertThat(add.updated().get(1).flags()).containsExactlyInAnyOrder("\\Seen", "$Work");
        assertThat(add.updated()).allSatisfy(m -> assertThat(m.modSeq()).isGreaterThan(before));

        FlagUpdate again = boxes.updateFlags(inbox, List.of(1L), FlagOperation.ADD, Set.of("$work"), -1);
        assertThat(again.updated()).isEmpty();
        assertThat(again.unchanged()).extracting(MessageEntry::uid).containsExactly(1L);

        long mod2 = add.updated().get(1).modSeq();
        FlagUpdate conditional = boxes.updateFlags(inbox, List.of(1L, 2L), FlagOperation.REMOVE, Set.of("$WORK"),
                add.updated().get(0).modSeq());
        assertThat(conditional.conflicts()).containsExactly(2L);
        assertThat(conditional.updated()).extracting(MessageEntry::uid).containsExactly(1L);
        assertThat(conditional.updated().getFirst().flags()).containsExactly("\\Seen");
        assertThat(boxes.messages(inbox).get(1).modSeq()).isEqualTo(mod2);

        FlagUpdate replace = boxes.updateFlags(inbox, List.of(2L), FlagOperation.REPLACE, Set.of(), -1);
        assertThat(replace.updated().getFirst().flags()).isEmpty();
        assertThatThrownBy(() -> boxes.updateFlags(inbox, List.of(1L), FlagOperation.ADD, Set.of("a b"), -1))
                .isInstanceOf(StoreException.class);
    }

    @Test
    void copyAndMoveKeepFlagsDatesAndBodiesAndReportUids() throws IOException {
        long inbox = box("INBOX").id();
        long archive = box("Archive").id();
        Instant date = Instant.parse("2023-01-02T03:04:05Z");
        boxes.append(inbox, TestContent.of("one\r\n"), Set.of("\\Flagged"), date);
        append("INBOX", "two\r\n");
        append("INBOX", "three\r\n");
        append("Archive", "already\r\n");

        Copied copied = boxes.copy(inbox, List.of(3L, 1L, 7L), archive);
        assertThat(copied.uidValidity()).isEqualTo(box("Archive").uidValidity());
        assertThat(copied.sourceUids()).containsExactly(1L, 3L);
        assertThat(copied.targetUids()).containsExactly(2L, 3L);
        MessageEntry copy = boxes.messages(archive).get(1);
        assertThat(copy.flags()).containsExactly("\\Flagged");
        assertThat(copy.internalDate()).isEqualTo(date);
        assertThat(text(boxes.openBody(copy))).isEqualTo("one\r\n");
        assertThat(boxes.messages(inbox)).hasSize(3);

        long seen = box("INBOX").highestModSeq();
        Copied moved = boxes.move(inbox, List.of(2L), archive);
        assertThat(moved.targetUids()).containsExactly(4L);
        assertThat(boxes.messages(inbox)).extracting(MessageEntry::uid).containsExactly(1L, 3L);
        assertThat(boxes.changesSince(inbox, seen).orElseThrow().expunged()).containsExactly(2L);
        assertThat(text(boxes.openBody(boxes.messages(archive).getLast()))).isEqualTo("two\r\n");

        // the copy survives the original's expunge
        boxes.expunge(inbox, List.of(1L));
        assertThat(text(boxes.openBody(copy))).isEqualTo("one\r\n");
        assertThatThrownBy(() -> boxes.copy(inbox, List.of(3L), 999_999)).isInstanceOf(StoreException.class)
                .satisfies(e -> assertThat(((StoreException) e).kind()).isEqualTo(StoreException.Kind.NOT_FOUND));
    }

    @Test
    void renamingInboxExpungesItsMessagesForItsSessions() {
        long inbox = box("INBOX").id();
        append("INBOX", "a\r\n");
        long seen = box("INBOX").highestModSeq();
        boxes.rename(account, "INBOX", "Old");
        assertThat(boxes.changesSince(inbox, seen).orElseThrow().expunged()).containsExactly(1L);
        assertThat(boxes.messages(box("Old").id())).hasSize(1);
    }

    @Test
    void structureIsComputedAtDeliveryAndSharedByCopies() throws IOException {
        long inbox = box("INBOX").id();
        store.accept(new AcceptRequest("Q1", "s@example.test", TestContent.of(MULTIPART),
                List.of(new AcceptRequest.LocalDelivery(account, "INBOX")), null, List.of(), true, null, null));
        append("INBOX", "Subject: plain\r\n\r\nbody\r\n");
        List<MessageEntry> messages = boxes.messages(inbox);
        List<MessageStructure> structures = boxes.structures(messages);
        assertThat(structures.get(0).root().parts()).hasSize(2);
        assertThat(structures.get(0).root().envelope().subject()).isEqualTo("parts");
        assertThat(structures.get(1).root().envelope().subject()).isEqualTo("plain");

        MessageStructure.Part html = structures.get(0).root().parts().get(1);
        assertThat(text(boxes.openBody(messages.get(0), html.bodyOffset(), html.bodySize()))).isEqualTo("<b>x</b>");
        assertThat(text(boxes.openBody(messages.get(0), 0, 7))).isEqualTo("Subject");
        assertThatThrownBy(() -> boxes.openBody(messages.get(0), 5, messages.get(0).size())).isInstanceOf(StoreException.class);

        Copied copied = boxes.copy(inbox, List.of(1L), box("Archive").id());
        MessageEntry copy = boxes.messages(box("Archive").id()).getFirst();
        assertThat(copied.targetUids()).containsExactly(1L);
        assertThat(boxes.structure(copy)).isEqualTo(structures.get(0));
    }

    @Test
    void bodySlicesCrossChunkBoundaries() throws IOException {
        long inbox = box("INBOX").id();
        long size = 700_000;
        boxes.append(inbox, TestContent.generated(size, 7), Set.of(), null);
        MessageEntry m = boxes.messages(inbox).getFirst();
        byte[] all;
        try (InputStream in = TestContent.generatedStream(size, 7)) {
            all = in.readAllBytes();
        }
        for (long[] range : new long[][] {{0, 10}, {262_140, 10}, {300_000, 400_000}, {size - 1, 1}, {size, 0}}) {
            try (InputStream in = boxes.openBody(m, range[0], range[1])) {
                assertThat(in.readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(all, (int) range[0],
                        (int) (range[0] + range[1])));
            }
        }
        assertThat(boxes.structure(m).root().bodySize()).isEqualTo(size - boxes.structure(m).root().bodyOffset());
    }
}
