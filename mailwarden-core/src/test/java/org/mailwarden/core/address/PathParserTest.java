package org.mailwarden.core.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PathParserTest {

    private final PathParser parser = new PathParser();

    private MailAddress rcpt(String arg) throws PathException {
        return ((SmtpPath.Mailbox) parser.parseRcptTo(arg, false).forwardPath()).address();
    }

    private MailAddress rcptUtf8(String arg) throws PathException {
        return ((SmtpPath.Mailbox) parser.parseRcptTo(arg, true).forwardPath()).address();
    }

    @Test
    void plainMailboxIsSplitAndDomainLowerCased() throws Exception {
        assertThat(rcpt("<Alice@Example.TEST>")).isEqualTo(new MailAddress("Alice", "example.test"));
        assertThat(rcpt("<Alice@Example.TEST>").key()).isEqualTo("alice@example.test");
    }

    @Test
    void spacesBeforeTheBracketAndBetweenParametersAreTolerated() throws Exception {
        assertThat(rcpt(" <a@b.test>")).isEqualTo(new MailAddress("a", "b.test"));
        MailFrom m = parser.parseMailFrom("<a@b.test>  SIZE=10   BODY=8BITMIME ");
        assertThat(m.parameters().size()).hasValue(10);
        assertThat(m.parameters().body()).isEqualTo(MailParameters.Body.EIGHT_BIT_MIME);
    }

    @Test
    void nullReversePathIsASenderButNotARecipient() throws Exception {
        assertThat(parser.parseMailFrom("<>").reversePath()).isEqualTo(new SmtpPath.Null());
        assertReply(() -> parser.parseRcptTo("<>", false), 501, "5.1.3");
    }

    @Test
    void sourceRouteIsCheckedAndIgnored() throws Exception {
        assertThat(rcpt("<@relay1.test,@Relay2.test:u@c.test>")).isEqualTo(new MailAddress("u", "c.test"));
        assertThat(rcpt("<@local.test:u@foreign.test>").domain()).isEqualTo("foreign.test");
    }

    @Test
    void percentAndBangAreOrdinaryLocalPartCharacters() throws Exception {
        assertThat(rcpt("<u%foreign.test@local.test>")).isEqualTo(new MailAddress("u%foreign.test", "local.test"));
        assertThat(rcpt("<foreign.test!u@local.test>")).isEqualTo(new MailAddress("foreign.test!u", "local.test"));
    }

    @Test
    void quotedLocalPartsAreUnquotedAfterTheDomainIsSplitOff() throws Exception {
        assertThat(rcpt("<\"john doe\"@x.test>").localPart()).isEqualTo("john doe");
        assertThat(rcpt("<\"a\\\"b\\\\c\"@x.test>").localPart()).isEqualTo("a\"b\\c");
        assertThat(rcpt("<\"alice\"@x.test>")).isEqualTo(new MailAddress("alice", "x.test"));
        MailAddress tricky = rcpt("<\"u@foreign.test\"@local.test>");
        assertThat(tricky).isEqualTo(new MailAddress("u@foreign.test", "local.test"));
        assertThat(tricky.toSmtpForm()).isEqualTo("\"u@foreign.test\"@local.test");
        assertThat(rcpt("<\"a>b\"@x.test> NOTIFY=NEVER").localPart()).isEqualTo("a>b");
    }

    @Test
    void postmasterWithoutDomainIsARecipientOnly() throws Exception {
        assertThat(parser.parseRcptTo("<PostMaster>", false).forwardPath()).isEqualTo(new SmtpPath.Postmaster("PostMaster"));
        assertThat(rcpt("<postmaster@x.test>")).isEqualTo(new MailAddress("postmaster", "x.test"));
        assertReply(() -> parser.parseMailFrom("<postmaster>"), 501, "5.1.7");
        assertReply(() -> parser.parseRcptTo("<postmasterx>", false), 501, "5.1.3");
    }

    @Test
    void addressLiteralsAreADistinctKind() throws Exception {
        SmtpPath v4 = parser.parseRcptTo("<u@[192.0.2.1]>", false).forwardPath();
        assertThat(v4).isInstanceOf(SmtpPath.Literal.class);
        SmtpPath.Literal l4 = (SmtpPath.Literal) v4;
        assertThat(l4.ip()).isInstanceOf(Inet4Address.class);
        assertThat(l4.literal()).isEqualTo("[192.0.2.1]");
        assertThat(l4.address()).isEqualTo(new MailAddress("u", "[192.0.2.1]"));

        SmtpPath.Literal l6 = (SmtpPath.Literal) parser.parseRcptTo("<u@[ipv6:2001:DB8::1]>", false).forwardPath();
        assertThat(l6.ip()).isInstanceOf(Inet6Address.class);
        assertThat(l6.literal()).isEqualTo("[IPv6:2001:db8::1]");

        SmtpPath.Literal mapped = (SmtpPath.Literal) parser.parseRcptTo("<u@[IPv6:::ffff:192.0.2.1]>", false).forwardPath();
        assertThat(mapped.ip()).isEqualTo(l4.ip());
    }

    @Test
    void internationalisedDomainsNeedSmtputf8AndBecomeALabels() throws Exception {
        assertThat(rcptUtf8("<u@Bücher.example>").domain()).isEqualTo("xn--bcher-kva.example");
        assertReply(() -> parser.parseRcptTo("<u@bücher.example>", false), 553, "5.6.7");
        MailFrom m = parser.parseMailFrom("<u@bücher.example> SMTPUTF8");
        assertThat(((SmtpPath.Mailbox) m.reversePath()).address().domain()).isEqualTo("xn--bcher-kva.example");
        assertReply(() -> parser.parseMailFrom("<u@bücher.example>"), 553, "5.6.7");
    }

    @Test
    void utf8LocalPartsNeedSmtputf8() throws Exception {
        assertThat(rcptUtf8("<用户@example.test>").localPart()).isEqualTo("用户");
        assertThat(rcptUtf8("<\"用 户\"@example.test>").localPart()).isEqualTo("用 户");
        assertReply(() -> parser.parseRcptTo("<用户@example.test>", false), 553, "5.6.7");
        assertReply(() -> parser.parseRcptTo("<\"用户\"@example.test>", false), 553, "5.6.7");
    }

    @Test
    void limitsAreExactlyTheRfcLimits() throws Exception {
        String local64 = "a".repeat(64);
        assertThat(rcpt("<" + local64 + "@x.test>").localPart()).hasSize(64);
        assertReply(() -> parser.parseRcptTo("<" + local64 + "a@x.test>", false), 501, "5.1.3");
        // 254 octets between the brackets: exactly 256 with them.
        String domain = "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(63) + "." + "e".repeat(58) + ".t";
        String path = "<a@" + domain + ">";
        assertThat(path).hasSize(256);
        assertThat(rcpt(path).domain()).isEqualTo(domain);
        assertReply(() -> parser.parseRcptTo("<ab@" + domain + ">", false), 501, "5.1.3");
        assertReply(() -> parser.parseRcptTo("<a@" + "x".repeat(64) + ".test>", false), 501, "5.1.3");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "   ", "u@x.test", "<u@x.test", "u@x.test>", "<u@x.test>x", "<u@x.test>\tSIZE=1", "<<u@x.test>>",
            "<u@x.test.>", "<u@x..test>", "<u@.x.test>", "<u@-x.test>", "<u@x-.test>", "<u@x_y.test>",
            "<u@>", "<u>", "<@x.test>", "<.u@x.test>", "<u.@x.test>", "<u..v@x.test>", "<u v@x.test>",
            "<u\tv@x.test>", "<u\0@x.test>", "<u@x.test\0>", "<u@x\r\n.test>", "<\"unterminated@x.test>",
            "<\"a\"b@x.test>", "<\"a\".b@x.test>", "<\"\u0001\"@x.test>", "<\"a\\\u0001\"@x.test>", "<\"\"@x.test>",
            "<u@x.test@y.test>", "<u@foreign.test@local.test>", "<u@[192.0.2.256]>", "<u@[010.0.0.1]>",
            "<u@[192.0.2]>", "<u@[IPv6:zz::1]>", "<u@[IPv6:1::2::3]>", "<u@[IPv6:fe80::1%eth0]>",
            "<u@[192.0.2.1]x>", "<u@[192.0.2.1>", "<u@x.[192.0.2.1]>", "<u@192.0.2.1>", "<@a.test:>",
            "<@a.test u@b.test>", "<@a.test,u@b.test>", "<@:u@b.test>", "<@a.test,@:u@b.test>", "<@a..test:u@b.test>",
            "<u@x .test>", "<u@x.test >", "< u@x.test>", "<u@x%2etest>", "<u\\@x.test>", "<u@x.test\\>",
            "<@a.test:@b.test:u@c.test>", "<>>"
    })
    void malformedRecipientsAre501With513(String arg) {
        assertReply(() -> parser.parseRcptTo(arg, false), 501, "5.1.3");
    }

    @ParameterizedTest
    @ValueSource(strings = {"u@x.test", "<u@x.test.>", "<u..v@x.test>", "<u@[1.2.3]>", "<@a.test:>", "<u@x_y.test>"})
    void malformedSendersAre501With517(String arg) {
        assertReply(() -> parser.parseMailFrom(arg), 501, "5.1.7");
    }

    @ParameterizedTest
    @ValueSource(strings = {"<u@x\u200Dy.test>", "<u@x\u3002test>", "<u@x\uFF0Etest>", "<u@\u00A0x.test>", "<u\u200B@x.test>",
            "<u@x.test\u2028>", "<\"u\u0085\"@x.test>", "<u@\uE000.test>"})
    void unusableUnicodeIsRefusedEvenWithSmtputf8(String arg) {
        assertReply(() -> parser.parseRcptTo(arg, true), 501, "5.1.3");
    }

    @Test
    void generalAddressLiteralsAreRefusedAsNotAllowed() {
        assertReply(() -> parser.parseRcptTo("<u@[x-tag:content]>", false), 553, "5.1.3");
    }

    @Test
    void mailParametersAreDecoded() throws Exception {
        MailFrom m = parser.parseMailFrom("<a@b.test> size=123 BODY=binarymime SMTPUTF8 RET=hdrs ENVID=QQ+2B1 AUTH=a+40b.test");
        MailParameters p = m.parameters();
        assertThat(p.size()).hasValue(123);
        assertThat(p.body()).isEqualTo(MailParameters.Body.BINARY_MIME);
        assertThat(p.smtputf8()).isTrue();
        assertThat(p.ret()).isEqualTo(MailParameters.Ret.HDRS);
        assertThat(p.envid()).isEqualTo("QQ+1");
        assertThat(p.auth()).isEqualTo("a@b.test");
        assertThat(parser.parseMailFrom("<a@b.test> AUTH=<>").parameters().auth()).isEqualTo("<>");
        assertThat(parser.parseMailFrom("<a@b.test> SIZE=99999999999999999999").parameters().size()).hasValue(Long.MAX_VALUE);
        assertThat(parser.parseMailFrom("<a@b.test>").parameters()).isEqualTo(MailParameters.none());
    }

    @Test
    void rcptParametersAreDecoded() throws Exception {
        RcptTo r = parser.parseRcptTo("<a@b.test> NOTIFY=success,DELAY ORCPT=rfc822;A+40b.test", false);
        assertThat(r.parameters().notifyOn()).containsExactlyInAnyOrder(RcptParameters.Notify.SUCCESS, RcptParameters.Notify.DELAY);
        assertThat(r.parameters().orcpt()).isEqualTo(new RcptParameters.Orcpt("rfc822", "A@b.test"));
        RcptTo u = parser.parseRcptTo("<a@b.test> ORCPT=UTF-8;\\x{7528}\\x{6237}@b.test", false);
        assertThat(u.parameters().orcpt()).isEqualTo(new RcptParameters.Orcpt("utf-8", "用户@b.test"));
        RcptTo raw = parser.parseRcptTo("<a@b.test> ORCPT=utf-8;用户@b.test", true);
        assertThat(raw.parameters().orcpt().address()).isEqualTo("用户@b.test");
        assertThat(parser.parseRcptTo("<a@b.test>", false).parameters()).isEqualTo(RcptParameters.none());
    }

    @ParameterizedTest
    @ValueSource(strings = {"SIZE=abc", "SIZE=", "SIZE", "SIZE=-1", "SIZE=1 SIZE=2", "SMTPUTF8=yes", "BODY=9BIT", "RET=ALL",
            "ENVID=a+2", "ENVID=+0A", "ENVID=a+zz", "AUTH=+00", "-X=1", "=1", "X_Y=1", "SIZE=1=2", "SIZE=\u00e9",
            "SIZE=1\u0001", "A=1 B=2 C=3 D=4 E=5 F=6 G=7 H=8 I=9 J=10 K=11 L=12 M=13 N=14 O=15 P=16 Q=17"})
    void malformedMailParametersAre501With554(String params) {
        assertReply(() -> parser.parseMailFrom("<a@b.test> " + params), 501, "5.5.4");
    }

    @ParameterizedTest
    @ValueSource(strings = {"NOTIFY=NEVER,SUCCESS", "NOTIFY=SOMETIMES", "NOTIFY=DELAY,DELAY", "NOTIFY=", "ORCPT=rfc822",
            "ORCPT=;a@b.test", "ORCPT=rfc822;", "ORCPT=rfc822;a+4", "ORCPT=utf-8;\\x{1}@b", "ORCPT=utf-8;\\x{}@b",
            "ORCPT=utf-8;用户@b.test", "ORCPT=rfc 822;a"})
    void malformedRcptParametersAre501With554(String params) {
        assertReply(() -> parser.parseRcptTo("<a@b.test> " + params, false), 501, "5.5.4");
    }

    @ParameterizedTest
    @ValueSource(strings = {"FOO=bar", "XFORWARD", "NOTIFY=NEVER", "ORCPT=rfc822;a@b.test"})
    void unknownOrMisplacedMailParametersAre555(String params) {
        assertReply(() -> parser.parseMailFrom("<a@b.test> " + params), 555, "5.5.4");
    }

    @ParameterizedTest
    @ValueSource(strings = {"SIZE=1", "SMTPUTF8", "BODY=7BIT", "FOO"})
    void unknownOrMisplacedRcptParametersAre555(String params) {
        assertReply(() -> parser.parseRcptTo("<a@b.test> " + params, false), 555, "5.5.4");
    }

    @Test
    void parametersOfUnadvertisedExtensionsAre555() throws Exception {
        PathParser noDsn = new PathParser(EnumSet.of(EsmtpParameter.SIZE, EsmtpParameter.BODY));
        assertThat(noDsn.parseMailFrom("<a@b.test> SIZE=1").parameters().size()).hasValue(1);
        assertReply(() -> noDsn.parseMailFrom("<a@b.test> RET=FULL"), 555, "5.5.4");
        assertReply(() -> noDsn.parseRcptTo("<a@b.test> NOTIFY=NEVER", false), 555, "5.5.4");
        assertReply(() -> new PathParser(Set.of()).parseMailFrom("<a@b.test> SIZE=1"), 555, "5.5.4");
    }

    @Test
    void replyTextNeverEchoesTheInput() {
        try {
            parser.parseRcptTo("<u@evil\r\n.test>", false);
        } catch (PathException e) {
            assertThat(e.reply()).startsWith("501 5.1.3 ").doesNotContain("\r", "\n", "evil");
            return;
        }
        throw new AssertionError("expected a PathException");
    }

    interface Parse {
        Object run() throws PathException;
    }

    static void assertReply(Parse parse, int code, String enhanced) {
        assertThatThrownBy(parse::run)
                .isInstanceOf(PathException.class)
                .satisfies(e -> {
                    PathException p = (PathException) e;
                    assertThat(p.code()).as(p.reply()).isEqualTo(code);
                    assertThat(p.enhancedCode()).as(p.reply()).isEqualTo(enhanced);
                });
    }
}
