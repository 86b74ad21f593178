package org.mailwarden.pop3;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailwarden.core.account.Authenticator;
import org.mailwarden.core.account.LoginGuard;
import org.mailwarden.store.Store;
import org.mailwarden.store.testing.TestStores;

/**
 * How sessions end other than by QUIT: the idle timeout (RFC 1939's autologout, at least 10 minutes)
 * and server shutdown both end the session without the UPDATE state, so marked messages stay, and the
 * maildrop lock is released at once.
 */
class SessionEndingsTest {

    @TempDir
    Path dir;

    Store store;
    Pop3TestServer helper;
    Pop3Context context;
    long accountId;

    @BeforeEach
    void open() throws Exception {
        store = TestStores.sqlite(dir);
        helper = Pop3TestServer.start(store, dir);
        accountId = helper.addAccount("alice", "example.test", null, "alice-secret").id();
        helper.deliver(accountId, "Subject: one\r\n\r\n1\r\n");
        context = new Pop3Context("mx.example.test", store, new SettingsSource(store),
                new LoginGuard(new Authenticator(store.accounts(), Pop3TestServer.FAST_HASHER),
                        Pop3TestServer.noDelayThrottle()),
                new MaildropLocks(store.locks(), Duration.ofMinutes(1)));
    }

    @AfterEach
    void close() throws Exception {
        helper.close();
        store.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private boolean lockIsFree() {
        String name = MaildropLocks.name(accountId);
        boolean free = store.locks().tryAcquire(name, "probe", Duration.ofSeconds(5));
        if (free) {
            store.locks().release(name, "probe");
        }
        return free;
    }

    @Test
    void idleTimeoutIsTenMinutesAndEndsWithoutUpdate() throws Exception {
        MemoryTransport transport = MemoryTransport.silentAfter(bytes("USER alice\r\nPASS alice-secret\r\nDELE 1\r\n"));
        new Pop3Session(context, transport).run();
        assertThat(transport.idleTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(transport.sent()).endsWith("+OK message 1 deleted\r\n-ERR autologout: idle for more than 10 minutes\r\n");
        assertThat(helper.inboxMessages(accountId)).hasSize(1);
        assertThat(lockIsFree()).isTrue();
    }

    @Test
    void idleTimeoutFollowsTheSetting() throws Exception {
        store.settings().set("pop3.idle_timeout_s", "1200");
        MemoryTransport transport = MemoryTransport.silentAfter(new byte[0]);
        new Pop3Session(new Pop3Context("mx.example.test", store, new SettingsSource(store), context.authentication(),
                context.locks()), transport).run();
        assertThat(transport.idleTimeout()).isEqualTo(Duration.ofMinutes(20));
    }

    @Test
    void shutdownEndsTheSessionAtTheNextCommandButLetsQuitFinish() throws Exception {
        MemoryTransport refused = MemoryTransport.draining(bytes("CAPA\r\nNOOP\r\n"));
        new Pop3Session(context, refused).run();
        assertThat(refused.sent()).endsWith("-ERR [SYS/TEMP] the server is shutting down; try again in a minute\r\n");

        MemoryTransport quitting = MemoryTransport.draining(bytes("QUIT\r\n"));
        new Pop3Session(context, quitting).run();
        assertThat(quitting.sent()).endsWith("+OK mx.example.test POP3 server signing off\r\n");
        assertThat(lockIsFree()).isTrue();
    }

    @Test
    void hangingUpMidLineExecutesNothing() throws Exception {
        MemoryTransport transport = MemoryTransport.hangingUpAfter(bytes("USER alice\r\nPASS alice-secret\r\nDELE 1\r\nQUI"));
        new Pop3Session(context, transport).run();
        assertThat(transport.sent()).endsWith("+OK message 1 deleted\r\n");
        assertThat(helper.inboxMessages(accountId)).hasSize(1);
        assertThat(lockIsFree()).isTrue();
    }
}
