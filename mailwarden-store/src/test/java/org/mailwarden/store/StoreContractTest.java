package org.mailwarden.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mailwarden.core.account.AccountDirectory.Credentials;
import org.mailwarden.core.io.MessageContent;
import org.mailwarden.core.policy.IpRange;
import org.mailwarden.core.policy.RelayMode;
import org.mailwarden.core.policy.RelayRules;
import org.mailwarden.core.policy.RelayRules.ListKind;
import org.mailwarden.store.Accounts.Account;
import org.mailwarden.store.Mailboxes.Mailbox;
import org.mailwarden.store.Mailboxes.MessageEntry;
import org.mailwarden.store.Queue.QueuedMessage;
import org.mailwarden.store.Queue.RecipientState;
import org.mailwarden.store.Routes.HostPort;
import org.mailwarden.store.testing.TestContent;

/**
 * The behaviour every {@link Store} must have, run against each backend by a subclass. It goes through
 * the SPI only, as the protocol modules and the admin tools do.
 */
public abstract class StoreContractTest {

    protected Store store;

    /** A fresh, empty store of the backend under test. */
    protected abstract Store openStore();

    @BeforeEach
    void openFreshStore() {
        store = openStore();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    // ---- helpers -----------------------------------------------------------------------------------

    protected Account newAccount(String localPart, String domain) {
        if (store.domains().find(domain).isEmpty()) {
            store.domains().add(domain, null);
        }
        return store.accounts().add(localPart, domain, "$argon2id$hash-of-" + localPart, "scram-keys");
    }

    protected static AcceptRequest localOnly(String queueId, MessageContent content, long... accountIds) {
        List<AcceptRequest.LocalDelivery> local = new ArrayList<>();
        for (long id : accountIds) {
            local.add(new AcceptRequest.LocalDelivery(id, "INBOX"));
        }
        return new AcceptRequest(queueId, "sender@example.test", content, local, null, List.of(), true, null, null);
    }

    protected static String text(InputStream in) throws IOException {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    protected static byte[] sha256(InputStream in) throws IOException {
        try (in) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    protected static void assertStoreError(ThrowingCallable call, StoreException.Kind kind, String messagePart) {
        assertThatThrownBy(call).isInstanceOf(StoreException.class)
                .satisfies(e -> assertThat(((StoreException) e).kind()).isEqualTo(kind))
                .hasMessageContaining(messagePart);
    }

    protected Mailbox inbox(long accountId) {
        return store.mailboxes().find(accountId, "INBOX").orElseThrow();
    }

    // ---- domains -----------------------------------------------------------------------------------

    @Test
    void domainsAreAddedFoundListedAndRemoved() {
        Domains.Domain d = store.domains().add("example.test", "EXAMPLE");
        store.domains().add("other.test", null);

        assertThat(store.domains().find("example.test")).contains(d);
        assertThat(store.domains().findByShortName("example")).contains(d);
        assertThat(store.domains().list()).extracting(Domains.Domain::name).containsExactly("example.test", "other.test");

        store.domains().remove("other.test");
        assertThat(store.domains().find("other.test")).isEmpty();
    }

    @Test
    void domainErrorsNameTheProblem() {
        store.domains().add("example.test", "EXAMPLE");
        store.domains().add("other.test", null);

        assertStoreError(() -> store.domains().add("example.test", null), StoreException.Kind.DUPLICATE,
                "domain example.test already exists");
        assertStoreError(() -> store.domains().setShortName("other.test", "Example"), StoreException.Kind.DUPLICATE,
                "short name Example is already used by domain example.test");
        assertStoreError(() -> store.domains().remove("missing.test"), StoreException.Kind.NOT_FOUND,
                "domain missing.test does not exist");
        assertStoreError(() -> store.domains().add("", null), StoreException.Kind.INVALID, "is not a domain name");

        store.accounts().add("alice", "example.test", "hash", null);
        assertStoreError(() -> store.domains().remove("example.test"), StoreException.Kind.INVALID,
                "still has 1 account(s)");
    }

    @Test
    void shortNameCanBeChangedAndCleared() {
        store.domains().add("example.test", null);
        store.domains().setShortName("example.test", "EX");
        assertThat(store.domains().findByShortName("ex")).isPresent();
        assertThat(store.accounts().domainForShortName("Ex")).contains("example.test");

        store.domains().setShortName("example.test", null);
        assertThat(store.domains().findByShortName("EX")).isEmpty();
        assertThat(store.domains().find("example.test").orElseThrow().shortName()).isNull();
    }

    @Test
    void theOnlyDomainIsKnownOnlyWhileThereIsExactlyOne() {
        assertThat(store.accounts().onlyDomain()).isEmpty();
        store.domains().add("example.test", null);
        assertThat(store.accounts().onlyDomain()).contains("example.test");
        store.domains().add("other.test", null);
        assertThat(store.accounts().onlyDomain()).isEmpty();
    }

    /** Kept in the store, so every process on it, and the same one after a restart, derives the same SCRAM stand-in salts. */
    @Test
    void theStandInSecretIsCreatedOnceAndKeptInTheStore() {
        assertThat(store.settings().get("auth.stand_in_secret")).isEmpty();
        byte[] first = store.accounts().standInSecret();
        assertThat(first).hasSizeGreaterThanOrEqualTo(32);
        assertThat(store.settings().get("auth.stand_in_secret")).isPresent();
        assertThat(store.accounts().standInSecret()).isEqualTo(first);
    }

    // ---- accounts ----------------------------------------------------------------------------------

    @Test
    void accountCreationCreatesTheDefaultMailboxes() {
        Account alice = newAccount("Alice", "example.test");

        List<Mailbox> boxes = store.mailboxes().list(alice.id());
        assertThat(boxes).extracting(Mailbox::name)
                .containsExactlyInAnyOrder("INBOX", "Drafts", "Sent", "Trash", "Junk", "Archive");
        Map<String, String> specialUse = new java.util.HashMap<>();
        boxes.forEach(b -> specialUse.put(b.name(), String.valueOf(b.specialUse())));
        assertThat(specialUse).containsEntry("INBOX", "null").containsEntry("Drafts", "\\Drafts")
                .containsEntry("Sent", "\\Sent").containsEntry("Trash", "\\Trash")
                .containsEntry("Junk", "\\Junk").containsEntry("Archive", "\\Archive");
        assertThat(boxes).allSatisfy(b -> {
            assertThat(b.uidValidity()).isPositive().isLessThan(1L << 32);
            assertThat(b.uidNext()).isEqualTo(1);
        });
        assertThat(boxes.stream().map(Mailbox::uidValidity).distinct()).hasSize(6);
    }

    @Test
    void accountsAreFoundCaseInsensitively() {
        Account alice = newAccount("Alice", "example.test");
        newAccount("alice", "other.test");

        assertThat(store.accounts().find("ALICE", "example.test")).contains(alice);
        assertThat(store.accounts().findById(alice.id())).contains(alice);
        assertThat(alice.address()).isEqualTo("Alice@example.test");

        Credentials creds = store.accounts().byAddress("alice", "example.test").orElseThrow();
        assertThat(creds.accountId()).isEqualTo(alice.id());
        assertThat(creds.passwordHash()).isEqualTo("$argon2id$hash-of-Alice");
        assertThat(creds.scramSha256()).isEqualTo("scram-keys");
        assertThat(creds.enabled()).isTrue();
        assertThat(store.accounts().byLocalPart("aLiCe")).extracting(Credentials::address)
                .containsExactly("Alice@example.test", "alice@other.test");
        assertThat(store.accounts().byAddress("bob", "example.test")).isEmpty();

        assertThat(store.accounts().list("example.test")).containsExactly(alice);
        assertThat(store.accounts().list(null)).hasSize(2);
    }

    @Test
    void accountErrorsNameTheProblem() {
        newAccount("alice", "example.test");

        assertStoreError(() -> store.accounts().add("ALICE", "example.test", "h", null), StoreException.Kind.DUPLICATE,
                "account ALICE@example.test already exists");
        assertStoreError(() -> store.accounts().add("bob", "missing.test", "h", null), StoreException.Kind.NOT_FOUND,
                "domain missing.test does not exist");
        assertStoreError(() -> store.accounts().remove("bob", "example.test"), StoreException.Kind.NOT_FOUND,
                "account bob@example.test does not exist");
        assertStoreError(() -> store.accounts().add("a b", "example.test", "h", null), StoreException.Kind.INVALID,
                "is not a valid local part");
        assertStoreError(() -> store.accounts().list("missing.test"), StoreException.Kind.NOT_FOUND,
                "domain missing.test does not exist");
    }

    @Test
    void passwordAndEnabledFlagAreUpdated() {
        newAccount("alice", "example.test");
        store.accounts().setPassword("alice", "example.test", "new-hash", "new-scram");
        store.accounts().setEnabled("Alice", "example.test", false);

        Account a = store.accounts().find("alice", "example.test").orElseThrow();
        assertThat(a.passwordHash()).isEqualTo("new-hash");
        assertThat(a.scramSha256()).isEqualTo("new-scram");
        assertThat(a.enabled()).isFalse();
        assertStoreError(() -> store.accounts().setEnabled("bob", "example.test", true), StoreException.Kind.NOT_FOUND,
                "account bob@example.test does not exist");
    }

    @Test
    void removingAnAccountRemovesItsMailboxesMessagesAndAliases() throws IOException {
        Account alice = newAccount("alice", "example.test");
        Account bob = newAccount("bob", "example.test");
        store.aliases().add("postmaster", "example.test", alice.id());
        MessageContent content = TestContent.of("Subject: shared\r\n\r\nhello\r\n");
        store.accept(localOnly("Q1", content, alice.id(), bob.id()));

        store.accounts().remove("alice", "example.test");

        assertThat(store.accounts().find("alice", "example.test")).isEmpty();
        assertThat(store.mailboxes().list(alice.id())).isEmpty();
        assertThat(store.aliases().resolve("postmaster", "example.test")).isEmpty();
        // Bob's copy shares the body and must survive the reclaim of Alice's.
        MessageEntry bobs = store.mailboxes().messages(inbox(bob.id()).id()).getFirst();
        assertThat(text(store.mailboxes().openBody(bobs))).isEqualTo("Subject: shared\r\n\r\nhello\r\n");
    }

    // ---- aliases -----------------------------------------------------------------------------------

    @Test
    void anAliasMayDeliverToSeveralAccounts() {
        Account alice = newAccount("alice", "example.test");
        Account bob = newAccount("bob", "example.test");

        Aliases.Alias a = store.aliases().add("Team", "example.test", alice.id());
        store.aliases().add("team", "example.test", bob.id());
        store.aliases().add("info", "example.test", alice.id());

        assertThat(a.address()).isEqualTo("Team@example.test");
        assertThat(a.accountAddress()).isEqualTo("alice@example.test");
        assertThat(store.aliases().resolve("TEAM", "example.test")).extracting(Aliases.Alias::accountId)
                .containsExactly(alice.id(), bob.id());
        assertThat(store.aliases().forAccount(alice.id())).extracting(Aliases.Alias::localPart)
                .containsExactly("info", "Team");
        assertThat(store.aliases().list()).hasSize(3);

        store.aliases().remove("team", "example.test", bob.id());
        assertThat(store.aliases().resolve("team", "example.test")).extracting(Aliases.Alias::accountId)
                .containsExactly(alice.id());
        store.aliases().remove("team", "example.test", null);
        assertThat(store.aliases().resolve("team", "example.test")).isEmpty();
        assertThat(store.aliases().resolve("nobody", "example.test")).isEmpty();
    }

    @Test
    void aliasesAndAccountsNeverShareAnAddress() {
        Account alice = newAccount("alice", "example.test");
        store.aliases().add("sales", "example.test", alice.id());

        assertStoreError(() -> store.aliases().add("ALICE", "example.test", alice.id()), StoreException.Kind.DUPLICATE,
                "ALICE@example.test is an account");
        assertStoreError(() -> store.accounts().add("Sales", "example.test", "h", null), StoreException.Kind.DUPLICATE,
                "Sales@example.test is already an alias");
        assertStoreError(() -> store.aliases().add("sales", "example.test", alice.id()), StoreException.Kind.DUPLICATE,
                "alias sales@example.test already delivers to alice@example.test");
        assertStoreError(() -> store.aliases().add("x", "missing.test", alice.id()), StoreException.Kind.NOT_FOUND,
                "domain missing.test does not exist");
        assertStoreError(() -> store.aliases().add("x", "example.test", 999_999), StoreException.Kind.NOT_FOUND,
                "account 999999 does not exist");
        assertStoreError(() -> store.aliases().remove("nobody", "example.test", null), StoreException.Kind.NOT_FOUND,
                "alias nobody@example.test does not exist");
    }

    // ---- relay rules, routes, settings -------------------------------------------------------------

    @Test
    void relayRulesStartSafeAndKeepTheirLists() {
        assertThat(store.relayRules().current()).isEqualTo(RelayRules.defaults());

        store.relayRules().add(ListKind.ALLOW, IpRange.parse("192.0.2.9/24"));
        store.relayRules().add(ListKind.ALLOW, IpRange.parse("2001:db8::/32"));
        store.relayRules().add(ListKind.LISTENER, IpRange.parse("10.0.0.1"));
        store.relayRules().add(ListKind.DENY, IpRange.parse("198.51.100.0/24"));
        store.relayRules().setAuthenticatedMayRelay(false);
        store.relayRules().setMode(RelayMode.LOCAL_ONLY);

        RelayRules rules = store.relayRules().current();
        assertThat(rules.allowedClients()).containsExactly(IpRange.parse("192.0.2.0/24"), IpRange.parse("2001:db8::/32"));
        assertThat(rules.internalListeners()).containsExactly(IpRange.parse("10.0.0.1"));
        assertThat(rules.neverRelay()).containsExactly(IpRange.parse("198.51.100.0/24"));
        assertThat(rules.authenticatedMayRelay()).isFalse();
        assertThat(rules.mode()).isEqualTo(RelayMode.LOCAL_ONLY);

        assertStoreError(() -> store.relayRules().add(ListKind.ALLOW, IpRange.parse("192.0.2.0/24")),
                StoreException.Kind.DUPLICATE, "192.0.2.0/24 is already in the allow list");
        store.relayRules().remove(ListKind.ALLOW, IpRange.parse("192.0.2.0/24"));
        assertStoreError(() -> store.relayRules().remove(ListKind.ALLOW, IpRange.parse("192.0.2.0/24")),
                StoreException.Kind.NOT_FOUND, "192.0.2.0/24 is not in the allow list");
        assertThat(store.relayRules().current().allowedClients()).hasSize(1);
    }

    @Test
    void routesAndSmarthost() {
        store.routes().put("partner.test", new HostPort("127.0.0.1", 2626));
        store.routes().put("partner.test", new HostPort("mx.partner.test", 25));
        store.routes().put("ipv6.test", new HostPort("2001:db8::1", 25));

        assertThat(store.routes().find("partner.test").orElseThrow().target()).isEqualTo(new HostPort("mx.partner.test", 25));
        assertThat(store.routes().list()).extracting(Routes.Route::domain).containsExactly("ipv6.test", "partner.test");
        store.routes().remove("partner.test");
        assertThat(store.routes().find("partner.test")).isEmpty();
        assertStoreError(() -> store.routes().remove("partner.test"), StoreException.Kind.NOT_FOUND,
                "there is no route for partner.test");
        assertStoreError(() -> store.routes().put("x.test", new HostPort("host", 70000)), StoreException.Kind.INVALID,
                "port 70000 is out of range");

        assertThat(store.routes().smarthost()).isEmpty();
        store.routes().setSmarthost(new HostPort("203.0.113.5", 25));
        store.routes().setSmarthost(new HostPort("203.0.113.6", 587));
        assertThat(store.routes().smarthost()).contains(new HostPort("203.0.113.6", 587));
        store.routes().setSmarthost(null);
        assertThat(store.routes().smarthost()).isEmpty();
    }

    @Test
    void settingsAreSetReadAndCleared() {
        store.settings().set("smtp.max_message_size", "10485760");
        store.settings().set("smtp.auth_on_mta", "false");
        store.settings().set("smtp.auth_on_mta", "true");

        assertThat(store.settings().get("smtp.auth_on_mta")).contains("true");
        assertThat(store.settings().all()).containsExactly(
                Map.entry("smtp.auth_on_mta", "true"), Map.entry("smtp.max_message_size", "10485760"));
        store.settings().set("smtp.auth_on_mta", null);
        assertThat(store.settings().get("smtp.auth_on_mta")).isEmpty();
    }

    @Test
    void everyAdministrativeWriteBumpsTheChangeCounterOnce() {
        long start = store.changeCounter();
        store.domains().add("example.test", null);
        assertThat(store.changeCounter()).isEqualTo(start + 1);
        Account alice = store.accounts().add("alice", "example.test", "h", null);
        store.aliases().add("info", "example.test", alice.id());
        store.relayRules().add(ListKind.ALLOW, IpRange.parse("192.0.2.0/24"));
        store.relayRules().setMode(RelayMode.LOCAL_ONLY);
        store.relayRules().setAuthenticatedMayRelay(false);
        store.routes().put("partner.test", new HostPort("127.0.0.1", 2626));
        store.routes().setSmarthost(new HostPort("203.0.113.5", 25));
        store.settings().set("k", "v");
        store.accounts().setPassword("alice", "example.test", "h2", null);
        store.domains().setShortName("example.test", "EX");
        assertThat(store.changeCounter()).isEqualTo(start + 11);

        // Failed writes and reads change nothing.
        assertThatThrownBy(() -> store.domains().add("example.test", null)).isInstanceOf(StoreException.class);
        store.domains().list();
        store.relayRules().current();
        assertThat(store.changeCounter()).isEqualTo(start + 11);
    }

    // ---- accept, mailboxes, messages ---------------------------------------------------------------

    @Test
    void acceptStoresLocalCopiesAndQueuesOutboundRecipients() throws IOException {
        Account alice = newAccount("alice", "example.test");
        Account bob = newAccount("bob", "example.test");
        MessageContent local = TestContent.of("Return-Path: <s@example.test>\r\nSubject: hi\r\n\r\nbody\r\n");
        MessageContent outbound = TestContent.of("Subject: hi\r\n\r\nbody\r\n");
        AcceptRequest request = new AcceptRequest("QID1", "s@example.test", local,
                List.of(new AcceptRequest.LocalDelivery(alice.id(), "INBOX"),
                        new AcceptRequest.LocalDelivery(bob.id(), "Junk")),
                outbound,
                List.of(new AcceptRequest.OutboundRecipient("carol@remote.test", "rfc822;carol@remote.test", "FAILURE,DELAY"),
                        new AcceptRequest.OutboundRecipient("dave@remote.test", null, null)),
                true, "ENV-1", "HDRS");

        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        AcceptResult result = store.accept(request);

        assertThat(result.queueId()).isEqualTo("QID1");
        long bobJunk = store.mailboxes().find(bob.id(), "Junk").orElseThrow().id();
        assertThat(result.delivered()).containsExactly(
                new AcceptResult.Delivered(alice.id(), inbox(alice.id()).id(), 1),
                new AcceptResult.Delivered(bob.id(), bobJunk, 1));

        MessageEntry a = store.mailboxes().messages(inbox(alice.id()).id()).getFirst();
        assertThat(a.uid()).isEqualTo(1);
        assertThat(a.size()).isEqualTo(local.size());
        assertThat(a.flags()).isEmpty();
        assertThat(a.internalDate()).isAfterOrEqualTo(before);
        assertThat(text(store.mailboxes().openBody(a))).isEqualTo("Return-Path: <s@example.test>\r\nSubject: hi\r\n\r\nbody\r\n");
        MessageEntry b = store.mailboxes().messages(bobJunk).getFirst();
        assertThat(text(store.mailboxes().openBody(b))).startsWith("Return-Path:");

        QueuedMessage q = store.queue().find("QID1").orElseThrow();
        assertThat(q.sender()).isEqualTo("s@example.test");
        assertThat(q.size()).isEqualTo(outbound.size());
        assertThat(q.notifyAllowed()).isTrue();
        assertThat(q.envid()).isEqualTo("ENV-1");
        assertThat(q.ret()).isEqualTo("HDRS");
        assertThat(q.created()).isAfterOrEqualTo(before);
        assertThat(q.recipients()).extracting(Queue.QueuedRecipient::address).containsExactly("carol@remote.test", "dave@remote.test");
        assertThat(q.recipients()).allSatisfy(r -> {
            assertThat(r.state()).isEqualTo(RecipientState.PENDING);
            assertThat(r.attempts()).isZero();
            assertThat(r.nextAttempt()).isBeforeOrEqualTo(Instant.now());
            assertThat(r.lastReply()).isNull();
        });
        assertThat(q.recipients().getFirst().orcpt()).isEqualTo("rfc822;carol@remote.test");
        assertThat(q.recipients().getFirst().dsnNotify()).isEqualTo("FAILURE,DELAY");
        assertThat(text(store.queue().openBody(q))).isEqualTo("Subject: hi\r\n\r\nbody\r\n");
    }

    @Test
    void acceptFallsBackToInboxAndRefusesMissingAccounts() {
        Account alice = newAccount("alice", "example.test");
        AcceptRequest toMissingFolder = new AcceptRequest("Q1", "", TestContent.of("x\r\n"),
                List.of(new AcceptRequest.LocalDelivery(alice.id(), "No/Such/Folder")), null, List.of(), false, null, null);
        assertThat(store.accept(toMissingFolder).delivered().getFirst().mailboxId()).isEqualTo(inbox(alice.id()).id());

        assertStoreError(() -> store.accept(localOnly("Q2", TestContent.of("x\r\n"), 999_999)),
                StoreException.Kind.NOT_FOUND, "account 999999 does not exist");
        // A failed accept leaves nothing behind and the next one works.
        assertThat(store.accept(localOnly("Q3", TestContent.of("y\r\n"), alice.id())).delivered().getFirst().uid())
                .isEqualTo(2);
    }

    @Test
    void aBodyThatCannotBeReadFailsOnlyItsOwnAccept() throws Exception {
        Account alice = newAccount("alice", "example.test");
        MessageContent broken = new MessageContent() {
            @Override
            public long size() {
                return 100;
            }

            @Override
            public InputStream open() throws IOException {
                throw new IOException("spool file vanished");
            }
        };
        MessageContent truncated = new MessageContent() {
            @Override
            public long size() {
                return 100;
            }

            @Override
            public InputStream open() {
                return new java.io.ByteArrayInputStream(new byte[10]);
            }
        };
        List<Future<AcceptResult>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 12; i++) {
                MessageContent body = i == 3 ? broken : i == 7 ? truncated : TestContent.of("ok " + i + "\r\n");
                String id = "B" + i;
                results.add(pool.submit(() -> store.accept(localOnly(id, body, alice.id()))));
            }
        }
        int failed = 0;
        for (Future<AcceptResult> r : results) {
            try {
                r.get();
            } catch (java.util.concurrent.ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(StoreException.class);
                assertThat(((StoreException) e.getCause()).kind()).isEqualTo(StoreException.Kind.UNAVAILABLE);
                failed++;
            }
        }
        assertThat(failed).isEqualTo(2);
        List<MessageEntry> stored = store.mailboxes().messages(inbox(alice.id()).id());
        assertThat(stored).hasSize(10).extracting(MessageEntry::uid).containsExactlyElementsOf(
                java.util.stream.LongStream.rangeClosed(1, 10).boxed().toList());
    }

    @Test
    void outboundOnlyAcceptQueuesTheMessage() throws IOException {
        MessageContent body = TestContent.of("Subject: out\r\n\r\n.\r\n");
        AcceptRequest request = new AcceptRequest("QOUT", "", null, List.of(), body,
                List.of(new AcceptRequest.OutboundRecipient("x@remote.test", null, null)), false, null, null);
        assertThat(store.accept(request).delivered()).isEmpty();
        QueuedMessage q = store.queue().find("QOUT").orElseThrow();
        assertThat(q.sender()).isEmpty();
        assertThat(q.notifyAllowed()).isFalse();
        assertThat(text(store.queue().openBody(q))).isEqualTo("Subject: out\r\n\r\n.\r\n");
    }

    @Test
    void aBodyOfSeveralMebibytesIsStoredAndStreamedBackExactly() throws IOException {
        Account alice = newAccount("alice", "example.test");
        long size = 6L * 1024 * 1024 + 12345;
        store.accept(localOnly("QBIG", TestContent.generated(size, 42), alice.id()));

        MessageEntry m = store.mailboxes().messages(inbox(alice.id()).id()).getFirst();
        assertThat(m.size()).isEqualTo(size);
        assertThat(sha256(store.mailboxes().openBody(m))).isEqualTo(sha256(TestContent.generatedStream(size, 42)));
        try (InputStream in = store.mailboxes().openBody(m)) {
            assertThat(in.skip(size - 10)).isEqualTo(size - 10);
            assertThat(in.readAllBytes()).hasSize(10);
        }
    }

    @Test
    void anySliceOfABodyIsReadBackExactly() throws IOException {
        Account alice = newAccount("alice", "example.test");
        // A small body (inline on SQLite) and one of three chunks (a segment on SQLite).
        for (int size : new int[] {5 * 1024 + 7, 600 * 1024 + 3}) {
            store.accept(localOnly("QS" + size, TestContent.generated(size, size), alice.id()));
            MessageEntry m = store.mailboxes().messages(inbox(alice.id()).id()).getLast();
            byte[] whole;
            try (InputStream in = TestContent.generatedStream(size, size)) {
                whole = in.readAllBytes();
            }
            try (InputStream in = store.mailboxes().openBody(m)) {
                assertThat(in.readAllBytes()).isEqualTo(whole);
            }
            int chunk = 256 * 1024;
            for (int offset : new int[] {0, 1, 4000, chunk - 1, chunk, chunk + 1, 2 * chunk + 5, size - 1, size}) {
                if (offset > size) {
                    continue;
                }
                for (int length : new int[] {0, 1, 100, size - offset}) {
                    if (length > size - offset) {
                        continue;
                    }
                    try (InputStream in = store.mailboxes().openBody(m, offset, length)) {
                        assertThat(in.readAllBytes()).as("%d octets from %d of %d", length, offset, size)
                                .isEqualTo(Arrays.copyOfRange(whole, offset, offset + length));
                    }
                }
            }
        }
    }

    @Test
    void bodyPrefixesReadTheFirstOctetsOfManyBodiesAndNullForOneThatIsGone() throws IOException {
        Account alice = newAccount("alice", "example.test");
        long box = inbox(alice.id()).id();
        store.mailboxes().append(box, TestContent.of("Subject: one\r\n\r\nfirst\r\n"), Set.of(), null);
        long large = 300L * 1024 + 7;
        store.mailboxes().append(box, TestContent.generated(large, 7), Set.of(), null);
        store.mailboxes().append(box, TestContent.of("Subject: three\r\n\r\nthird\r\n"), Set.of(), null);
        List<MessageEntry> messages = store.mailboxes().messages(box);
        store.mailboxes().expunge(box, List.of(3L));

        List<byte[]> prefixes = store.mailboxes().bodyPrefixes(messages, List.of(14, 1000, 10));

        assertThat(new String(prefixes.get(0), StandardCharsets.US_ASCII)).isEqualTo("Subject: one\r\n");
        byte[] expected = new byte[1000];
        try (InputStream in = TestContent.generatedStream(large, 7)) {
            assertThat(in.readNBytes(expected, 0, 1000)).isEqualTo(1000);
        }
        assertThat(prefixes.get(1)).isEqualTo(expected);
        assertThat(prefixes.get(2)).isNull();
        // a prefix longer than the body is the whole body
        assertThat(new String(store.mailboxes().bodyPrefixes(messages.subList(0, 1), List.of(1 << 20)).getFirst(),
                StandardCharsets.US_ASCII)).isEqualTo("Subject: one\r\n\r\nfirst\r\n");
    }

    @Test
    void appendedMessagesGetGrowingUidsAndModseqs() throws IOException {
        Account alice = newAccount("alice", "example.test");
        Mailbox box = inbox(alice.id());
        Instant date = Instant.parse("2024-05-06T07:08:09.123Z");
        List<Mailboxes.Appended> appended = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            appended.add(store.mailboxes().append(box.id(), TestContent.of("message " + i + "\r\n"),
                    Set.of("\\Seen", "$Label" + i), date));
        }
        assertThat(appended).extracting(Mailboxes.Appended::uid).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(appended).allSatisfy(a -> assertThat(a.uidValidity()).isEqualTo(box.uidValidity()));

        List<MessageEntry> messages = store.mailboxes().messages(box.id());
        assertThat(messages).extracting(MessageEntry::uid).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(messages).extracting(MessageEntry::modSeq).isSorted().doesNotHaveDuplicates();
        assertThat(messages.get(2).flags()).containsExactlyInAnyOrder("\\Seen", "$Label2");
        assertThat(messages.get(2).internalDate()).isEqualTo(date);
        assertThat(text(store.mailboxes().openBody(messages.get(4)))).isEqualTo("message 4\r\n");

        Mailbox after = inbox(alice.id());
        assertThat(after.uidNext()).isEqualTo(6);
        assertThat(after.highestModSeq()).isEqualTo(messages.getLast().modSeq());

        // UIDs are never reused, not even after the newest message is expunged.
        store.mailboxes().expunge(box.id(), List.of(5L));
        assertThat(store.mailboxes().append(box.id(), TestContent.of("again\r\n"), Set.of(), null).uid()).isEqualTo(6);
        assertStoreError(() -> store.mailboxes().append(999_999, TestContent.of("x\r\n"), Set.of(), null),
                StoreException.Kind.NOT_FOUND, "mailbox 999999 does not exist");
    }

    @Test
    void flagChangesGiveEachMessageANewModseq() {
        Account alice = newAccount("alice", "example.test");
        long box = inbox(alice.id()).id();
        for (int i = 0; i < 3; i++) {
            store.mailboxes().append(box, TestContent.of("m" + i + "\r\n"), Set.of(), null);
        }
        long before = inbox(alice.id()).highestModSeq();

        List<MessageEntry> updated = store.mailboxes().setFlags(box, List.of(1L, 3L, 99L), Set.of("\\Seen", "\\Flagged"));

        assertThat(updated).extracting(MessageEntry::uid).containsExactly(1L, 3L);
        assertThat(updated).allSatisfy(m -> {
            assertThat(m.modSeq()).isGreaterThan(before);
            assertThat(m.flags()).containsExactlyInAnyOrder("\\Seen", "\\Flagged");
        });
        assertThat(updated.get(0).modSeq()).isNotEqualTo(updated.get(1).modSeq());
        assertThat(inbox(alice.id()).highestModSeq()).isEqualTo(updated.get(1).modSeq());
        List<MessageEntry> stored = store.mailboxes().messages(box);
        assertThat(stored.get(0).flags()).containsExactlyInAnyOrder("\\Seen", "\\Flagged");
        assertThat(stored.get(1).flags()).isEmpty();

        assertThat(store.mailboxes().setFlags(box, List.of(1L), Set.of()).getFirst().flags()).isEmpty();
        assertThat(store.mailboxes().setFlags(box, List.of(2L), Set.of("\\SEEN", "$Custom")).getFirst().flags())
                .containsExactlyInAnyOrder("\\Seen", "$Custom");
        assertStoreError(() -> store.mailboxes().setFlags(box, List.of(1L), Set.of("bad flag")),
                StoreException.Kind.INVALID, "is not a valid flag");
    }

    @Test
    void expungeRemovesMessagesAndReclaimsUnsharedBodies() throws IOException {
        Account alice = newAccount("alice", "example.test");
        Account bob = newAccount("bob", "example.test");
        store.accept(localOnly("Q1", TestContent.of("shared\r\n"), alice.id(), bob.id()));
        long aliceBox = inbox(alice.id()).id();
        store.mailboxes().append(aliceBox, TestContent.of("own\r\n"), Set.of(), null);
        List<MessageEntry> before = store.mailboxes().messages(aliceBox);
        long modSeqBefore = inbox(alice.id()).highestModSeq();

        assertThat(store.mailboxes().expunge(aliceBox, List.of(1L, 2L, 7L))).containsExactly(1L, 2L);
        assertThat(store.mailboxes().messages(aliceBox)).isEmpty();
        assertThat(inbox(alice.id()).highestModSeq()).isGreaterThan(modSeqBefore);
        assertThat(store.mailboxes().expunge(aliceBox, List.of(1L))).isEmpty();

        // Alice's own body is gone; the body she shared with Bob is still his.
        assertStoreError(() -> store.mailboxes().openBody(before.get(1)), StoreException.Kind.NOT_FOUND, "does not exist");
        MessageEntry bobs = store.mailboxes().messages(inbox(bob.id()).id()).getFirst();
        assertThat(text(store.mailboxes().openBody(bobs))).isEqualTo("shared\r\n");
    }

    @Test
    void mailboxesAreCreatedRenamedWithChildrenAndDeleted() {
        Account alice = newAccount("alice", "example.test");
        long id = alice.id();
        Mailbox work = store.mailboxes().create(id, "Work", null);
        store.mailboxes().create(id, "Work/2024", null);
        store.mailboxes().create(id, "Work/2024/Q1", null);
        store.mailboxes().create(id, "Workshop", null);
        store.mailboxes().append(work.id(), TestContent.of("w\r\n"), Set.of(), null);

        assertThat(work.subscribed()).isFalse();
        assertThat(work.uidNext()).isEqualTo(1);
        assertStoreError(() -> store.mailboxes().create(id, "Work", null), StoreException.Kind.DUPLICATE,
                "mailbox Work already exists");
        assertStoreError(() -> store.mailboxes().create(id, "inbox", null), StoreException.Kind.DUPLICATE,
                "mailbox INBOX already exists");
        assertStoreError(() -> store.mailboxes().create(id, "a//b", null), StoreException.Kind.INVALID, "empty level");

        store.mailboxes().rename(id, "Work", "Jobs/Old");

        List<String> names = store.mailboxes().list(id).stream().map(Mailbox::name).toList();
        assertThat(names).contains("Jobs/Old", "Jobs/Old/2024", "Jobs/Old/2024/Q1", "Workshop")
                .doesNotContain("Work", "Work/2024");
        Mailbox renamed = store.mailboxes().find(id, "Jobs/Old").orElseThrow();
        assertThat(renamed.id()).isEqualTo(work.id());
        assertThat(renamed.uidValidity()).isEqualTo(work.uidValidity());
        assertThat(store.mailboxes().messages(renamed.id())).hasSize(1);

        assertStoreError(() -> store.mailboxes().rename(id, "Work", "X"), StoreException.Kind.NOT_FOUND,
                "mailbox Work does not exist");
        assertStoreError(() -> store.mailboxes().rename(id, "Jobs/Old", "Workshop"), StoreException.Kind.DUPLICATE,
                "mailbox Workshop already exists");
        assertStoreError(() -> store.mailboxes().rename(id, "Jobs/Old", "Jobs/Old/Sub"), StoreException.Kind.INVALID,
                "into itself");

        store.mailboxes().delete(id, "Jobs/Old");
        assertThat(store.mailboxes().find(id, "Jobs/Old")).isEmpty();
        assertThat(store.mailboxes().find(id, "Jobs/Old/2024")).isPresent();
        assertStoreError(() -> store.mailboxes().delete(id, "Jobs/Old"), StoreException.Kind.NOT_FOUND, "does not exist");
        assertStoreError(() -> store.mailboxes().delete(id, "inbox"), StoreException.Kind.INVALID,
                "INBOX cannot be deleted");

        // A mailbox created again under an old name gets a new UIDVALIDITY.
        assertThat(store.mailboxes().create(id, "Jobs/Old", null).uidValidity()).isNotEqualTo(work.uidValidity());
    }

    @Test
    void inboxIsCaseInsensitiveAndRenamingItMovesItsMessages() {
        Account alice = newAccount("alice", "example.test");
        long id = alice.id();
        Mailbox inbox = inbox(id);
        store.mailboxes().create(id, "inbox/child", null);
        store.mailboxes().append(inbox.id(), TestContent.of("1\r\n"), Set.of(), null);
        store.mailboxes().append(inbox.id(), TestContent.of("2\r\n"), Set.of(), null);

        assertThat(store.mailboxes().find(id, "iNbOx")).contains(inbox(id));
        assertThat(store.mailboxes().find(id, "INBOX/child")).isPresent();

        store.mailboxes().rename(id, "Inbox", "Old Inbox");

        Mailbox moved = store.mailboxes().find(id, "Old Inbox").orElseThrow();
        assertThat(store.mailboxes().messages(moved.id())).extracting(MessageEntry::uid).containsExactly(1L, 2L);
        assertThat(moved.uidNext()).isEqualTo(3);
        assertThat(moved.uidValidity()).isNotEqualTo(inbox.uidValidity());
        Mailbox emptied = inbox(id);
        assertThat(emptied.id()).isEqualTo(inbox.id());
        assertThat(store.mailboxes().messages(emptied.id())).isEmpty();
        assertThat(store.mailboxes().find(id, "INBOX/child")).isPresent();
        // INBOX keeps counting, so old UIDs are never handed out again under the same UIDVALIDITY.
        assertThat(store.mailboxes().append(emptied.id(), TestContent.of("3\r\n"), Set.of(), null).uid()).isEqualTo(3);
    }

    @Test
    void subscriptionsAreStored() {
        Account alice = newAccount("alice", "example.test");
        store.mailboxes().create(alice.id(), "Lists", null);
        store.mailboxes().setSubscribed(alice.id(), "Lists", true);
        assertThat(store.mailboxes().find(alice.id(), "Lists").orElseThrow().subscribed()).isTrue();
        store.mailboxes().setSubscribed(alice.id(), "Lists", false);
        assertThat(store.mailboxes().find(alice.id(), "Lists").orElseThrow().subscribed()).isFalse();
        assertStoreError(() -> store.mailboxes().setSubscribed(alice.id(), "Nope", true), StoreException.Kind.NOT_FOUND,
                "mailbox Nope does not exist");
    }

    // ---- queue -------------------------------------------------------------------------------------

    @Test
    void queueEntriesAreListedRetriedAndDeleted() {
        for (String id : List.of("QA", "QB")) {
            store.accept(new AcceptRequest(id, "s@example.test", null, List.of(), TestContent.of(id + "\r\n"),
                    List.of(new AcceptRequest.OutboundRecipient("r@remote.test", null, null)), true, null, null));
        }
        assertThat(store.queue().list()).extracting(QueuedMessage::queueId).containsExactly("QA", "QB");
        assertThat(store.queue().list().getFirst().recipients()).hasSize(1);
        assertThat(store.queue().find("QZ")).isEmpty();

        store.queue().retryNow("QA");
        assertThat(store.queue().find("QA").orElseThrow().recipients().getFirst().nextAttempt())
                .isBeforeOrEqualTo(Instant.now());
        assertStoreError(() -> store.queue().retryNow("QZ"), StoreException.Kind.NOT_FOUND,
                "queue entry QZ does not exist");

        QueuedMessage a = store.queue().find("QA").orElseThrow();
        store.queue().delete("QA");
        assertThat(store.queue().list()).extracting(QueuedMessage::queueId).containsExactly("QB");
        assertStoreError(() -> store.queue().delete("QA"), StoreException.Kind.NOT_FOUND, "queue entry QA does not exist");
        assertStoreError(() -> store.queue().openBody(a), StoreException.Kind.NOT_FOUND, "does not exist");
    }

    // ---- locks -------------------------------------------------------------------------------------

    @Test
    void leasesAreExclusiveUntilReleased() {
        assertThat(store.locks().tryAcquire("pop3:alice", "session-1", Duration.ofMinutes(5))).isTrue();
        assertThat(store.locks().tryAcquire("pop3:alice", "session-2", Duration.ofMinutes(5))).isFalse();
        assertThat(store.locks().tryAcquire("pop3:bob", "session-2", Duration.ofMinutes(5))).isTrue();
        assertThat(store.locks().renew("pop3:alice", "session-1", Duration.ofMinutes(5))).isTrue();
        assertThat(store.locks().renew("pop3:alice", "session-2", Duration.ofMinutes(5))).isFalse();

        store.locks().release("pop3:alice", "session-2");   // not the holder: no effect
        assertThat(store.locks().tryAcquire("pop3:alice", "session-2", Duration.ofMinutes(5))).isFalse();
        store.locks().release("pop3:alice", "session-1");
        assertThat(store.locks().tryAcquire("pop3:alice", "session-2", Duration.ofMinutes(5))).isTrue();
        assertStoreError(() -> store.locks().tryAcquire("x", "y", Duration.ZERO), StoreException.Kind.INVALID,
                "positive duration");
    }

    @Test
    void anExpiredLeaseCanBeTakenOver() throws InterruptedException {
        assertThat(store.locks().tryAcquire("queue:Q1", "node-a", Duration.ofMillis(50))).isTrue();
        Thread.sleep(300);
        assertThat(store.locks().renew("queue:Q1", "node-a", Duration.ofMinutes(1))).isFalse();
        assertThat(store.locks().tryAcquire("queue:Q1", "node-b", Duration.ofMinutes(1))).isTrue();
        assertThat(store.locks().tryAcquire("queue:Q1", "node-a", Duration.ofMinutes(1))).isFalse();
    }

    // ---- concurrency -------------------------------------------------------------------------------

    @Test
    void fiftyConcurrentAcceptsAllLandExactlyOnce() throws Exception {
        Account alice = newAccount("alice", "example.test");
        int n = 50;
        List<Future<AcceptResult>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                String id = "C" + i;
                results.add(pool.submit(() -> store.accept(new AcceptRequest(id, "s@example.test",
                        TestContent.of("Message-ID: <" + id + ">\r\n\r\n" + id + "\r\n"),
                        List.of(new AcceptRequest.LocalDelivery(alice.id(), "INBOX")),
                        TestContent.of("out " + id + "\r\n"),
                        List.of(new AcceptRequest.OutboundRecipient("r@remote.test", null, null)),
                        true, null, null))));
            }
        }
        Set<Long> uids = new HashSet<>();
        for (Future<AcceptResult> f : results) {
            uids.add(f.get().delivered().getFirst().uid());
        }
        assertThat(uids).hasSize(n).allSatisfy(uid -> assertThat(uid).isBetween(1L, (long) n));

        List<MessageEntry> messages = store.mailboxes().messages(inbox(alice.id()).id());
        assertThat(messages).hasSize(n);
        Set<String> bodies = new HashSet<>();
        for (MessageEntry m : messages) {
            bodies.add(text(store.mailboxes().openBody(m)));
        }
        assertThat(bodies).hasSize(n);
        assertThat(store.queue().list()).hasSize(n).allSatisfy(q -> {
            try {
                assertThat(text(store.queue().openBody(q))).isEqualTo("out " + q.queueId() + "\r\n");
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
    }
}
