package org.mailwarden.imap.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mailwarden.core.testing.ScramClient;
import org.mailwarden.store.Store;

/**
 * The not-authenticated state as shipped (plaintext refused before TLS): capabilities before and after
 * STARTTLS and login, LOGINDISABLED, STARTTLS with pipelined plaintext, IMAPS, LOGIN with the three
 * login-name forms, AUTHENTICATE PLAIN with and without SASL-IR, SCRAM-SHA-256 in clear, cancelling,
 * failures and the connection closing after too many of them.
 */
class LoginTest extends ImapServerTestBase {

    @Override
    void configure(Store store) {
        // the defaults: no plaintext passwords
    }

    @Test
    void beforeTlsLoginIsDisabledButScramWorks() throws Exception {
        try (ImapWire w = ImapWire.connect(server.imapPort())) {
            String greeting = w.read();
            assertThat(greeting).startsWith("* OK [CAPABILITY IMAP4rev1 IMAP4rev2 STARTTLS LOGINDISABLED AUTH=SCRAM-SHA-256 SASL-IR ")
                    .endsWith("] mx.example.test IMAP4rev2 ready").doesNotContain("AUTH=PLAIN");
            assertThat(w.completion(w.command("LOGIN " + login + " x")))
                    .isEqualTo("NO [PRIVACYREQUIRED] Plaintext login is disabled; use STARTTLS first");
            assertThat(w.completion(w.command("AUTHENTICATE PLAIN")))
                    .isEqualTo("NO [PRIVACYREQUIRED] This mechanism needs TLS; use STARTTLS first");
            scram(w, login);
            assertThat(w.command("CAPABILITY").getFirst()).doesNotContain("LOGINDISABLED").doesNotContain("AUTH=")
                    .contains(" IDLE ").contains(" APPENDLIMIT=");
        }
    }

    private void scram(ImapWire w, String user) throws IOException {
        ScramClient client = new ScramClient(user, ImapTestServer.PASSWORD);
        w.send("S1 AUTHENTICATE SCRAM-SHA-256 " + ScramClient.b64(client.clientFirst()) + "\r\n");
        String serverFirst = w.read();
        assertThat(serverFirst).startsWith("+ ");
        w.send(ScramClient.b64(client.clientFinal(ScramClient.unb64(serverFirst.substring(2)))) + "\r\n");
        String serverFinal = w.read();
        assertThat(client.serverFinalValid(ScramClient.unb64(serverFinal.substring(2)))).isTrue();
        w.send("\r\n");
        assertThat(w.read()).startsWith("S1 OK [CAPABILITY IMAP4rev1 IMAP4rev2 ").endsWith("] Logged in");
    }

    @Test
    void startTlsThenLoginInEveryNameForm() throws Exception {
        for (String user : List.of(login, "EXAMPLE\\" + login.substring(0, login.indexOf('@')),
                login.substring(0, login.indexOf('@')).toUpperCase())) {
            try (ImapWire w = ImapWire.connect(server.imapPort())) {
                w.read();
                assertThat(w.command("STARTTLS")).containsExactly(w.lastTag() + " OK Begin TLS negotiation now");
                w.startTls();
                List<String> caps = w.command("CAPABILITY");
                assertThat(caps.getFirst()).doesNotContain("STARTTLS").doesNotContain("LOGINDISABLED")
                        .contains("AUTH=SCRAM-SHA-256 AUTH=PLAIN");
                assertThat(w.completion(w.command("LOGIN \"" + user.replace("\\", "\\\\") + "\" \"" + ImapTestServer.PASSWORD + "\"")))
                        .as(user).startsWith("OK [CAPABILITY ").endsWith("Logged in");
                assertThat(w.completion(w.command("STARTTLS"))).isEqualTo("BAD STARTTLS is only valid before login");
            }
        }
    }

    @Test
    void plaintextPipelinedAfterStartTlsIsNeverExecuted() throws Exception {
        try (ImapWire w = ImapWire.connect(server.imapPort())) {
            w.read();
            w.send("T1 STARTTLS\r\nT2 LOGIN " + login + " \"" + ImapTestServer.PASSWORD + "\"\r\n");
            assertThat(w.read()).isEqualTo("T1 OK Begin TLS negotiation now");
            w.startTls();
            assertThat(w.completion(w.command("NOOP"))).isEqualTo("OK NOOP completed");
            assertThat(w.completion(w.command("SELECT INBOX"))).isEqualTo("BAD SELECT needs a login first");
        }
    }

    @Test
    void imapsAndAuthenticatePlainWithAndWithoutInitialResponse() throws Exception {
        String plain = ScramClient.b64("\0" + login + "\0" + ImapTestServer.PASSWORD);
        try (ImapWire w = ImapWire.connectTls(server.imapsPort())) {
            assertThat(w.read()).doesNotContain("STARTTLS").doesNotContain("LOGINDISABLED").contains("AUTH=PLAIN");
            assertThat(w.completion(w.command("AUTHENTICATE PLAIN " + plain))).endsWith("Logged in");
        }
        try (ImapWire w = ImapWire.connectTls(server.imapsPort())) {
            w.read();
            w.send("P1 AUTHENTICATE PLAIN\r\n");
            assertThat(w.read()).isEqualTo("+ ");
            w.send(plain + "\r\n");
            assertThat(w.read()).startsWith("P1 OK [CAPABILITY");
        }
    }

    @Test
    void failuresLookTheSameAndEndTheConnectionAfterThree() throws Exception {
        try (ImapWire w = ImapWire.connectTls(server.imapsPort())) {
            w.read();
            assertThat(w.completion(w.command("LOGIN " + login + " wrong"))).isEqualTo("NO [AUTHENTICATIONFAILED] Authentication failed");
            assertThat(w.completion(w.command("LOGIN nobody@example.test wrong"))).isEqualTo("NO [AUTHENTICATIONFAILED] Authentication failed");
            w.send("C1 AUTHENTICATE PLAIN\r\n");
            assertThat(w.read()).isEqualTo("+ ");
            w.send("*\r\n");
            assertThat(w.read()).isEqualTo("C1 BAD Authentication cancelled");
            assertThat(w.read()).isEqualTo("* BYE Too many failed logins");
            assertThat(w.read()).isNull();
        }
        try (ImapWire w = ImapWire.connectTls(server.imapsPort())) {
            w.read();
            assertThat(w.completion(w.command("AUTHENTICATE PLAIN !!notbase64"))).isEqualTo("NO [AUTHENTICATIONFAILED] Authentication failed");
            assertThat(w.completion(w.command("AUTHENTICATE CRAM-MD5"))).isEqualTo("NO [CANNOT] Unsupported authentication mechanism");
        }
    }

    @Test
    void logoutAndStateChecks() throws Exception {
        try (ImapWire w = ImapWire.connectTls(server.imapsPort())) {
            w.read();
            assertThat(w.completion(w.command("FETCH 1 FLAGS"))).isEqualTo("BAD FETCH needs a login first");
            assertThat(w.command("ID (\"name\" \"test\" \"version\" \"1\")"))
                    .containsExactly("* ID (\"name\" \"mailwarden\" \"vendor\" \"mailwarden\")", w.lastTag() + " OK ID completed");
            assertThat(w.command("LOGOUT")).containsExactly("* BYE Logging out", w.lastTag() + " OK LOGOUT completed");
            assertThat(w.read()).isNull();
        }
    }
}
