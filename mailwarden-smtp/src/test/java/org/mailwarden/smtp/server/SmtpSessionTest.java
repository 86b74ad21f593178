package org.mailwarden.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailwarden.core.config.ListenerRole;
import org.mailwarden.core.policy.IpRange;
import org.mailwarden.core.policy.RelayRules;
import org.mailwarden.store.Mailboxes;
import org.mailwarden.store.Store;
import org.mailwarden.store.StoreException;

/** The session state machine on good and malformed input, without sockets. */
class SmtpSessionTest {

    @TempDir
    static Path dir;
    static SessionHarness h;

    @BeforeAll
    static void start() {
        h = new SessionHarness(dir, Map.of("smtp.max_recipients", "3", "smtp.error_hard_limit", "20",
                "smtp.max_message_size", "5000"));
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    /** The first line of each reply, e.g. "250 2.1.5 Recipient OK". */
    static List<String> replies(String script) throws IOException {
        return h.run(script).stream().map(WireClient.Response::toString).toList();
    }

    static List<String> codes(String script) throws IOException {
        return h.run(script).stream().map(SmtpSessionTest::code).toList();
    }

    /** "550 5.1.1" for a reply with an enhanced code, "250" for one without. */
    static String code(WireClient.Response r) {
        var m = java.util.regex.Pattern.compile("(\\d{3})[ -]([245]\\.\\d{1,3}\\.\\d{1,3})( .*)?").matcher(r.toString());
        return m.matches() ? m.group(1) + " " + m.group(2) : String.valueOf(r.code());
    }

    @Test
    void ehloAdvertisesTheExtensionsWithoutEnhancedCodes() throws IOException {
        var ehlo = h.run("EHLO client.test\r\nQUIT\r\n").get(1);
        assertThat(ehlo.lines()).containsExactly("250-mx.local.test greets client.test", "250-PIPELINING",
                "250-SIZE 5000", "250-8BITMIME", "250-ENHANCEDSTATUSCODES", "250-SMTPUTF8", "250-CHUNKING", "250 DSN");
    }

    @Test
    void aStrangerDeliversToALocalUser() throws IOException {
        int before = inbox(h.alice).size();
        List<String> r = replies("EHLO client.test\r\nMAIL FROM:<someone@remote.test>\r\nRCPT TO:<Alice@LOCAL.test>\r\n"
                + "DATA\r\nSubject: hi\r\n\r\nhello\r\n.\r\nQUIT\r\n");
        assertThat(r.get(2)).isEqualTo("250 2.1.0 Sender OK");
        assertThat(r.get(3)).startsWith("250 2.1.5");
        assertThat(r.get(4)).startsWith("354");
        assertThat(r.get(5)).matches("250 2\\.0\\.0 Ok: queued as [0-9A-Z]{16}");
        assertThat(r.get(6)).isEqualTo("221 2.0.0 Bye");
        List<Mailboxes.MessageEntry> inbox = inbox(h.alice);
        assertThat(inbox).hasSize(before + 1);
        String stored = body(inbox.get(inbox.size() - 1));
        String queueId = r.get(5).substring(r.get(5).lastIndexOf(' ') + 1);
        assertThat(stored).startsWith("Return-Path: <someone@remote.test>\r\nReceived: from client.test ([192.0.2.10])\r\n"
                + "\tby mx.local.test (mailwarden) with ESMTP id " + queueId + "\r\n\tfor <Alice@local.test>;");
        assertThat(stored).endsWith("\r\nSubject: hi\r\n\r\nhello\r\n");
    }

    @Test
    void smtputf8And8bitMimeAreAccepted() throws IOException {
        int before = inbox(h.bob).size();
        List<String> r = replies("EHLO c\r\nMAIL FROM:<j\u00f6rg@b\u00fccher.example> SMTPUTF8 BODY=8BITMIME\r\n"
                + "RCPT TO:<bob@local.test>\r\nDATA\r\nSubject: gr\u00fc\u00dfe\r\n\r\n\u00e7a va\r\n.\r\nQUIT\r\n");
        assertThat(r.get(2)).startsWith("250 2.1.0");
        assertThat(r.get(5)).startsWith("250 2.0.0 Ok: queued as");
        String stored = body(inbox(h.bob).get(before));
        assertThat(stored).startsWith("Return-Path: <j\u00f6rg@xn--bcher-kva.example>\r\n").contains(" with UTF8SMTP id ");
        assertThat(replies("EHLO c\r\nMAIL FROM:<j\u00f6rg@remote.example>\r\nQUIT\r\n").get(2)).startsWith("553 5.6.7");
    }

    @Test
    void dsnParametersAreKeptForRelayedRecipients() throws Exception {
        try (SessionHarness relay = new SessionHarness(dir.resolve("dsn"), Map.of(), store -> store.relayRules()
                .add(RelayRules.ListKind.ALLOW, IpRange.parse("192.0.2.0/24")))) {
            List<WireClient.Response> r = relay.run("EHLO c\r\nMAIL FROM:<a@partner.test> RET=HDRS ENVID=QQ+2B1\r\n"
                    + "RCPT TO:<x@foreign.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;X+40foreign.test\r\n"
                    + "RCPT TO:<y@foreign.test>\r\nDATA\r\nSubject: dsn\r\n\r\nx\r\n.\r\n");
            String reply = r.get(6).toString();
            var queued = relay.store.queue().find(reply.substring(reply.lastIndexOf(' ') + 1)).orElseThrow();
            assertThat(queued.ret()).isEqualTo("HDRS");
            assertThat(queued.envid()).isEqualTo("QQ+1");
            assertThat(queued.notifyAllowed()).isTrue(); // an allowed network
            assertThat(queued.recipients()).extracting(q -> q.address() + " " + q.dsnNotify() + " " + q.orcpt())
                    .containsExactly("x@foreign.test FAILURE,SUCCESS rfc822;X@foreign.test", "y@foreign.test null null");
        }
    }

    @Test
    void commandsOutOfOrderAreRefused() throws IOException {
        assertThat(codes("MAIL FROM:<a@remote.test>\r\nRCPT TO:<alice@local.test>\r\nDATA\r\nEHLO c\r\nDATA\r\n"
                + "MAIL FROM:<a@remote.test>\r\nMAIL FROM:<a@remote.test>\r\nDATA\r\nQUIT\r\n"))
                .containsExactly("220", "503 5.5.1", "503 5.5.1", "503 5.5.1", "250", "503 5.5.1", "250 2.1.0",
                        "503 5.5.1", "554 5.5.1", "221 2.0.0");
    }

    @Test
    void recipientsAreJudgedOneByOne() throws IOException {
        assertThat(codes("EHLO c\r\nMAIL FROM:<a@remote.test>\r\nRCPT TO:<nobody@local.test>\r\n"
                + "RCPT TO:<x@foreign.test>\r\nRCPT TO:<alice%foreign.test@local.test>\r\nRCPT TO:<@local.test:x@foreign.test>\r\n"
                + "RCPT TO:<foreign.test!x@local.test>\r\nRCPT TO:<alice@local.test.>\r\nRCPT TO:<\"alice\"@local.test>\r\nQUIT\r\n"))
                .containsExactly("220", "250", "250 2.1.0", "550 5.1.1", "554 5.7.1", "550 5.1.1", "554 5.7.1",
                        "550 5.1.1", "501 5.1.3", "250 2.1.5", "221 2.0.0");
    }

    @Test
    void recipientLimit() throws IOException {
        assertThat(codes("EHLO c\r\nMAIL FROM:<a@remote.test>\r\nRCPT TO:<alice@local.test>\r\nRCPT TO:<bob@local.test>\r\n"
                + "RCPT TO:<alice@local.test>\r\nRCPT TO:<bob@local.test>\r\nQUIT\r\n"))
                .containsExactly("220", "250", "250 2.1.0", "250 2.1.5", "250 2.1.5", "250 2.1.5", "452 4.5.3", "221 2.0.0");
    }

    @Test
    void forgedLocalSenderFromOutsideIsRefusedWithAHint() throws IOException {
        List<String> r = replies("EHLO c\r\nMAIL FROM:<alice@local.test>\r\nMAIL FROM:<>\r\nQUIT\r\n");
        assertThat(r.get(2)).startsWith("550 5.7.1").contains("submission");
        assertThat(r.get(3)).isEqualTo("250 2.1.0 Sender OK");
    }

    @Test
    void theForgedSenderCheckCanBeSwitchedOff() throws Exception {
        try (SessionHarness lenient = new SessionHarness(dir.resolve("lenient"),
                Map.of("smtp.reject_forged_local_sender", "off"))) {
            assertThat(lenient.run("EHLO c\r\nMAIL FROM:<alice@local.test>\r\nQUIT\r\n").get(2).toString())
                    .isEqualTo("250 2.1.0 Sender OK");
        }
    }

    @Test
    void aFullDiskOrBrokenStoreGivesATemporaryFailure() throws Exception {
        for (var kind : List.of(StoreException.Kind.DISK_FULL, StoreException.Kind.UNAVAILABLE)) {
            try (SessionHarness broken = new SessionHarness(dir.resolve("broken-" + kind), Map.of(), store -> { },
                    store -> failingAccept(store, kind))) {
                List<String> r = broken.run("EHLO c\r\nMAIL FROM:<a@remote.test>\r\nRCPT TO:<bob@local.test>\r\nDATA\r\n"
                        + "Subject: x\r\n\r\nx\r\n.\r\nNOOP\r\n").stream().map(WireClient.Response::toString).toList();
                assertThat(r.get(5)).startsWith(kind == StoreException.Kind.DISK_FULL ? "452 4.3.1" : "451 4.3.0");
                assertThat(r.get(6)).startsWith("250 2.0.0");
            }
        }
    }

    /** The store as the server sees it, with every accept failing with {@code kind}. */
    private static Store failingAccept(Store real, StoreException.Kind kind) {
        return (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("accept")) {
                        throw new StoreException(kind, "simulated " + kind);
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void oversizeDeclaredAndActual() throws IOException {
        assertThat(codes("EHLO c\r\nMAIL FROM:<a@remote.test> SIZE=6000\r\nQUIT\r\n")).contains("552 5.3.4");
        String big = ("x".repeat(70) + "\r\n").repeat(100);
        assertThat(codes("EHLO c\r\nMAIL FROM:<a@remote.test>\r\nRCPT TO:<bob@local.test>\r\nDATA\r\n" + big
                + ".\r\nNOOP\r\nQUIT\r\n")).containsExactly("220", "250", "250 2.1.0", "250 2.1.5", "354", "552 5.3.4",
                "250 2.0.0", "221 2.0.0");
    }

    @Test
    void smuggledEndOfDataIsNeverAnEnd() throws IOException {
        int before = inbox(h.bob).size();
        List<String> r = replies("EHLO c\r\nMAIL FROM:<a@remote.test>\r\nRCPT TO:<bob@local.test>\r\nDATA\r\n"
                + "Subject: x\r\n\r\nbody\n.\nMAIL FROM:<evil@remote.test>\nRCPT TO:<alice@local.test>\nDATA\nsmuggled\n.\n"
                + "\r\n.\r\nQUIT\r\n");
        assertThat(r).hasSize(7);
        assertThat(r.get(5)).startsWith("554 5.6.0");
        assertThat(r.get(6)).isEqualTo("221 2.0.0 Bye");
        assertThat(inbox(h.bob)).hasSize(before);
    }

    @Test
    void bareLfCommandsAreNotExecuted() throws IOException {
        assertThat(codes("EHLO c\nNOOP\r\nQUIT\r\n")).containsExactly("220", "500 5.5.2", "250 2.0.0", "221 2.0.0");
        assertThat(codes("NOOP\rQUIT\r\nQUIT\r\n")).containsExactly("220", "500 5.5.2", "221 2.0.0");
    }

    @Test
    void overlongCommandLine() throws IOException {
        assertThat(codes("NOOP " + "x".repeat(20_000) + "\r\nQUIT\r\n")).containsExactly("220", "500 5.5.2", "221 2.0.0");
        assertThat(codes("AUTH LOGIN\r\n" + "QUFB".repeat(5000) + "\r\nQUIT\r\n")).containsExactly("220", "503 5.5.1",
                "500 5.5.2", "221 2.0.0");
    }

    @Test
    void bdatInChunksWithLast() throws IOException {
        int before = inbox(h.alice).size();
        String c1 = "Subject: chunked\r\n";
        String c2 = "\r\nbody\r\n";
        List<String> r = replies("EHLO c\r\nMAIL FROM:<a@remote.test>\r\nRCPT TO:<alice@local.test>\r\nBDAT " + c1.length()
                + "\r\n" + c1 + "BDAT " + c2.length() + " LAST\r\n" + c2 + "QUIT\r\n");
        assertThat(r.get(4)).isEqualTo("250 2.0.0 " + c1.length() + " octets received");
        assertThat(r.get(5)).startsWith("250 2.0.0 Ok: queued as ");
        assertThat(inbox(h.alice)).hasSize(before + 1);
        assertThat(body(inbox(h.alice).get(before))).endsWith("\r\nSubject: chunked\r\n\r\nbody\r\n");
    }

    @Test
    void bdatWithoutTransactionIsReadAndRefused() throws IOException {
        assertThat(codes("EHLO c\r\nBDAT 13 LAST\r\nRCPT TO:<x>\r\nNOOP\r\n"))
                .containsExactly("220", "250", "503 5.5.1", "250 2.0.0");
        assertThat(codes("EHLO c\r\nMAIL FROM:<>\r\nBDAT 4\r\nQUITBDAT 0 LAST\r\nDATA\r\nQUIT\r\n"))
                .containsExactly("220", "250", "250 2.1.0", "554 5.5.1", "554 5.5.1", "554 5.5.1", "221 2.0.0");
        assertThat(codes("EHLO c\r\nBDAT x\r\nBDAT 99999999999999999999\r\nQUIT\r\n"))
                .containsExactly("220", "250", "501 5.5.4", "501 5.5.4", "221 2.0.0");
    }

    @Test
    void bdatBareLfAcrossChunksIsRefusedAtOnce() throws IOException {
        assertThat(codes("EHLO c\r\nMAIL FROM:<a@remote.test>\r\nRCPT TO:<alice@local.test>\r\nBDAT 3\r\na\nbBDAT 3 LAST\r\n"
                + "x\r\nQUIT\r\n")).containsExactly("220", "250", "250 2.1.0", "250 2.1.5", "554 5.6.0", "554 5.6.0", "221 2.0.0");
    }

    @Test
    void dataAfterBdatIsRefused() throws IOException {
        assertThat(codes("EHLO c\r\nMAIL FROM:<a@remote.test>\r\nRCPT TO:<alice@local.test>\r\nBDAT 3\r\nx\r\nDATA\r\n"
                + "RSET\r\nQUIT\r\n")).containsExactly("220", "250", "250 2.1.0", "250 2.1.5", "250 2.0.0", "503 5.5.1",
                "250 2.0.0", "221 2.0.0");
    }

    @Test
    void miscellaneousCommands() throws IOException {
        assertThat(codes("HELP\r\nVRFY alice\r\nVRFY\r\nEXPN staff\r\nNOOP\r\nRSET\r\nFOO\r\nSTARTTLS\r\nAUTH PLAIN\r\n"
                + "EHLO c\r\nAUTH PLAIN\r\nHELO c\r\nMAIL FROM:<a@remote.test> SIZE=10\r\nQUIT\r\n"))
                .containsExactly("220", "214 2.0.0", "252 2.0.0", "501 5.5.4", "502 5.5.1", "250 2.0.0", "250 2.0.0",
                        "500 5.5.2", "502 5.5.1", "503 5.5.1", "250", "538 5.7.11", "250", "555 5.5.4", "221 2.0.0");
    }

    @Test
    void heloWithJunkIsRefused() throws IOException {
        assertThat(codes("EHLO\r\nEHLO a b\r\nHELO <x>\r\nEHLO [127.0.0.1]\r\nQUIT\r\n"))
                .containsExactly("220", "501 5.5.4", "501 5.5.4", "501 5.5.4", "250", "221 2.0.0");
    }

    @Test
    void submissionRequiresTlsAndAuthBeforeMail() throws IOException {
        List<String> r = h.run(ListenerRole.SUBMISSION, "192.0.2.10", "EHLO c\r\nMAIL FROM:<alice@local.test>\r\nQUIT\r\n")
                .stream().map(WireClient.Response::toString).toList();
        assertThat(r.get(2)).startsWith("530 5.7.0");
    }

    @Test
    void tooManyErrorsCloseTheSession() throws Exception {
        try (SessionHarness strict = new SessionHarness(dir.resolve("strict"), Map.of("smtp.error_hard_limit", "3"))) {
            List<WireClient.Response> r = strict.run("FOO\r\nBAR\r\nBAZ\r\nNOOP\r\n");
            assertThat(r).hasSize(4);
            assertThat(r.get(3).toString()).startsWith("421 4.7.0");
        }
    }

    @Test
    void connectionLostMidDataStoresNothing() throws IOException {
        int before = inbox(h.bob).size();
        h.run("EHLO c\r\nMAIL FROM:<a@remote.test>\r\nRCPT TO:<bob@local.test>\r\nDATA\r\nSubject: x\r\n\r\npartial");
        assertThat(inbox(h.bob)).hasSize(before);
    }

    static List<Mailboxes.MessageEntry> inbox(long account) {
        long id = h.store.mailboxes().find(account, "INBOX").orElseThrow().id();
        return h.store.mailboxes().messages(id);
    }

    static String body(Mailboxes.MessageEntry m) throws IOException {
        try (InputStream in = h.store.mailboxes().openBody(m)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
