package org.mailwarden.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.mailwarden.core.config.ListenerRole;

/**
 * Random and half-valid command streams fed to a whole session: it never throws, never hangs, and every
 * reply is well formed, with an enhanced status code wherever RFC 2034 asks for one.
 */
class SmtpSessionPropertiesTest {

    private static Path dir;
    private static SessionHarness harness;

    @BeforeContainer
    static void start() throws IOException {
        dir = Files.createTempDirectory("smtp-props");
        harness = new SessionHarness(dir, Map.of("smtp.error_hard_limit", "50", "smtp.max_message_size", "20000"));
    }

    @AfterContainer
    static void stop() throws IOException {
        harness.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Property(tries = 200)
    void everyReplyIsWellFormed(@ForAll("scripts") String script, @ForAll("roles") ListenerRole role) throws IOException {
        List<WireClient.Response> replies = harness.run(role, "192.0.2.77", script);
        assertThat(replies).isNotEmpty();
        assertThat(replies.get(0).toString()).startsWith("220 mx.local.test ");
        for (WireClient.Response r : replies.subList(1, replies.size())) {
            boolean exempt = r.code() / 100 == 3 || r.lines().get(0).startsWith("250-mx.local.test greets ")
                    || r.lines().get(0).equals("250 mx.local.test");
            if (!exempt) {
                for (String line : r.lines()) {
                    assertThat(line).as("reply line without enhanced status code").matches("\\d{3}[ -][245]\\.\\d{1,3}\\.\\d{1,3} .*");
                    assertThat(line.charAt(4)).as(line).isEqualTo((char) ('0' + r.code() / 100));
                }
            }
        }
    }

    @Provide
    Arbitrary<ListenerRole> roles() {
        return Arbitraries.of(ListenerRole.SMTP, ListenerRole.SUBMISSION, ListenerRole.SUBMISSIONS);
    }

    @Provide
    Arbitrary<String> scripts() {
        Arbitrary<String> separator = Arbitraries.frequency(Tuple.of(20, "\r\n"), Tuple.of(1, "\n"), Tuple.of(1, "\r"), Tuple.of(1, "\r\r\n"));
        Arbitrary<String> line = Combinators.combine(lines(), separator).as(String::concat);
        Arbitrary<String> prefix = Arbitraries.of("", "EHLO c\r\n",
                "EHLO c\r\nMAIL FROM:<a@remote.test>\r\nRCPT TO:<alice@local.test>\r\n");
        return Combinators.combine(prefix, line.list().ofMinSize(1).ofMaxSize(25))
                .as((p, l) -> p + String.join("", l));
    }

    private Arbitrary<String> lines() {
        Arbitrary<String> verb = Arbitraries.of("EHLO", "HELO", "MAIL FROM:", "RCPT TO:", "DATA", "BDAT", "RSET", "NOOP",
                "QUIT", "HELP", "VRFY", "EXPN", "STARTTLS", "AUTH", "ehlo", "mail from:", "rcpt to:", "BDAT 5 LAST",
                "AUTH PLAIN", "AUTH LOGIN", "AUTH SCRAM-SHA-256", "*", ".", "..");
        Arbitrary<String> path = Arbitraries.of("<alice@local.test>", "<bob@LOCAL.TEST>", "<>", "<x@foreign.test>",
                "<u%foreign.test@local.test>", "<@local.test:x@foreign.test>", "<\"a b\"@local.test>", "<Postmaster>",
                "<x@[127.0.0.1]>", "<x@local.test.>", "<sales@local.test>", "<x@f\u00f6reign.test>");
        Arbitrary<String> parameter = Arbitraries.of("", " SIZE=100", " SIZE=999999999999999999999", " BODY=8BITMIME",
                " BODY=BINARYMIME", " SMTPUTF8", " RET=HDRS", " ENVID=a+2Bb", " NOTIFY=SUCCESS,FAILURE", " NOTIFY=NEVER",
                " ORCPT=rfc822;x+40y", " FOO=BAR", " SIZE", " =", " AUTH=<>");
        Arbitrary<String> noise = Arbitraries.strings().withChars("<>@\"\\:;,[]. %!=+*\t\u0000\u00e9\u4e2dABCxyz0123456789")
                .ofMaxLength(60);
        Arbitrary<String> command = Combinators.combine(verb, Arbitraries.of(" ", ""), path, parameter)
                .as((v, sp, p, par) -> v + sp + p + par);
        Arbitrary<String> withNoise = Combinators.combine(verb, noise).as((v, n) -> v + " " + n);
        return Arbitraries.frequencyOf(Tuple.of(6, command), Tuple.of(3, withNoise), Tuple.of(2, noise),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(200)), Tuple.of(1, Arbitraries.just("Subject: x")));
    }
}
