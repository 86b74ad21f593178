package org.mailwarden.reliability.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import org.mailwarden.core.address.EsmtpParameter;
import org.mailwarden.core.address.MailAddress;
import org.mailwarden.core.address.PathException;
import org.mailwarden.core.address.PathParser;
import org.mailwarden.core.address.SmtpPath;

/**
 * Jazzer target for the strict RFC 5321 path parser, the gate every relay decision stands behind. For
 * any argument of {@code MAIL FROM:} or {@code RCPT TO:} the parser either refuses with a well-formed
 * one-line reply or returns a path whose domain is canonical (lower-case ASCII, no trailing dot, no
 * {@code @}, {@code %}, {@code !} or brackets) and which, written back in SMTP form and parsed again,
 * names exactly the same mailbox: no spelling can turn a foreign destination into a local one. Any
 * other exception is a finding.
 *
 * <p>Input: one flag octet (bit 0 recipient, bit 1 SMTPUTF8, bit 2 parser without ESMTP parameters),
 * then the argument as the client sent it (UTF-8, as the session decodes command lines).
 */
class PathParserFuzzTest {

    private static final PathParser ESMTP = new PathParser(EnumSet.allOf(EsmtpParameter.class));
    private static final PathParser PLAIN = new PathParser(Set.of());

    @FuzzTest(maxDuration = "30s")
    void pathParser(byte[] input) {
        if (input.length == 0) {
            return;
        }
        boolean recipient = (input[0] & 1) != 0;
        boolean smtputf8 = (input[0] & 2) != 0;
        PathParser parser = (input[0] & 4) != 0 ? PLAIN : ESMTP;
        String argument = new String(input, 1, input.length - 1, StandardCharsets.UTF_8);
        try {
            SmtpPath path = recipient ? parser.parseRcptTo(argument, smtputf8).forwardPath()
                    : parser.parseMailFrom(argument).reversePath();
            check(path, recipient, smtputf8);
        } catch (PathException e) {
            checkRefusal(e);
        }
    }

    private static void check(SmtpPath path, boolean recipient, boolean smtputf8) throws PathException {
        switch (path) {
            case SmtpPath.Null n -> assertThat(recipient).as("the null path is only a sender").isFalse();
            case SmtpPath.Postmaster p -> assertThat(p.localPart()).isEqualToIgnoringCase("postmaster");
            case SmtpPath.Literal l -> assertThat(l.ip()).isNotNull();
            case SmtpPath.Mailbox m -> {
                MailAddress a = m.address();
                String domain = a.domain();
                assertThat(domain).isEqualTo(domain.toLowerCase(Locale.ROOT)).doesNotEndWith(".")
                        .doesNotContain("@", "%", "!", "[", "]", " ", "\\", "\"");
                assertThat(StandardCharsets.US_ASCII.newEncoder().canEncode(domain)).as("A-label domain").isTrue();
                assertThat(domain.length()).isLessThanOrEqualTo(255);
                // Written back as it would be forwarded, it must read as the very same mailbox.
                String again = "<" + a.toSmtpForm() + ">";
                SmtpPath reread = recipient ? ESMTP.parseRcptTo(again, smtputf8).forwardPath()
                        : ESMTP.parseMailFrom(again + (smtputf8 ? " SMTPUTF8" : "")).reversePath();
                assertThat(reread).isInstanceOf(SmtpPath.Mailbox.class);
                assertThat(((SmtpPath.Mailbox) reread).address()).isEqualTo(a);
            }
        }
    }

    private static void checkRefusal(PathException e) {
        assertThat(e.code()).isIn(501, 553, 555, 552, 550);
        assertThat(e.enhancedCode()).matches("[45]\\.\\d{1,3}\\.\\d{1,3}");
        assertThat(e.getMessage()).doesNotContain("\r", "\n").isNotBlank();
    }
}
