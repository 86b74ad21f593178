package org.mailwarden.core.address;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * The parser's security property: no spelling can make it return a local domain when the path's final
 * {@code @domain} is foreign. Strings are built from adversarial fragments (routing characters, source
 * routes, quotes, backslashes, case changes, trailing dots, literals, whitespace, NUL, encoded and
 * full-width forms) around local domains L and foreign domains F, some of which contain each other.
 */
class PathParserPropertiesTest {

    static final Set<String> LOCAL = Set.of("local.test", "example.test", "mx.local.test");
    static final Set<String> FOREIGN = Set.of("foreign.test", "example.test.evil", "local.test.foreign.test", "evil-local.test",
            "test", "xn--local-9ra.test", "example.tes");

    private final PathParser parser = new PathParser();

    @Provide
    Arbitrary<String> domains() {
        Arbitrary<String> base = Arbitraries.of(List.copyOf(union()));
        Arbitrary<Mutation> mutation = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.just(Mutation.NONE)),
                Tuple.of(3, Arbitraries.of(Mutation.UPPER, Mutation.MIXED)),
                Tuple.of(4, Arbitraries.of(Mutation.values())));
        return Combinators.combine(base, mutation).as((d, m) -> m.apply(d));
    }

    @Provide
    Arbitrary<String> fragments() {
        Arbitrary<String> fixed = Arbitraries.of("u", "admin", "postmaster", "%", "!", "@", ".", ",", ":", "\"", "\\", "\\\"",
                "\\\\", " ", "\t", "\0", "\r\n", "<", ">", "[", "]", "%40", "+40", "=40", "%2e", "[192.0.2.1]",
                "[IPv6:::1]", "[IPv6:::ffff:192.0.2.1]", "\uFF20", "\uFF0E", "\u3002", "\u200B", "\u00AD", "\u0130", "\u212A",
                "\u00FC", "\"u@", "\"@", "@\"", ";", "SIZE=1", "\uD800");
        Arbitrary<String> domainish = domains().flatMap(d -> Arbitraries.of(d, "@" + d, "@" + d + ":", "@" + d + ",", "%" + d, d + "!"));
        return Arbitraries.frequencyOf(
                Tuple.of(3, fixed),
                Tuple.of(2, domainish));
    }

    /** Free-form strings of fragments, usually bracketed, sometimes with parameters. */
    @Provide
    Arbitrary<String> adversarial() {
        Arbitrary<String> body = fragments().list().ofMinSize(1).ofMaxSize(8).map(l -> String.join("", l));
        return Combinators.combine(body, Arbitraries.of("", " ", "<"), Arbitraries.of(">", "", "> SIZE=1", "> SMTPUTF8", ">>"))
                .as((b, open, close) -> (open.equals("<") ? "<" : open + "<") + b + close)
                .injectDuplicates(0.0);
    }

    /** Structured paths that often parse: optional source route, tricky local part, mutated domain. */
    @Provide
    Arbitrary<String> structured() {
        Arbitrary<String> route = Arbitraries.oneOf(Arbitraries.just(""),
                domains().list().ofMinSize(1).ofMaxSize(3).map(l -> "@" + String.join(",@", l) + ":"));
        Arbitrary<String> plainLocal = fragments().filter(f -> !f.isEmpty()).list().ofMinSize(1).ofMaxSize(4).map(l -> String.join("", l));
        Arbitrary<String> local = Arbitraries.oneOf(
                Arbitraries.of("u", "U.ser", "u%foreign.test", "foreign.test!u", "u+tag", "a.b.c"),
                plainLocal,
                plainLocal.map(s -> "\"" + s + "\""),
                domains().map(d -> "\"u@" + d + "\""),
                domains().map(d -> "u%" + d),
                domains().map(d -> d + "!u"));
        return Combinators.combine(route, local, domains(), Arbitraries.of("", " NOTIFY=NEVER", " ORCPT=rfc822;u+40foreign.test"))
                .as((r, l, d, p) -> "<" + r + l + "@" + d + ">" + p);
    }

    @Property(tries = 4000)
    void noAdversarialStringTurnsAForeignDestinationLocal(@ForAll("adversarial") String arg, @ForAll boolean smtputf8) {
        check(arg, smtputf8);
    }

    @Property(tries = 4000)
    void noStructuredPathTurnsAForeignDestinationLocal(@ForAll("structured") String arg, @ForAll boolean smtputf8) {
        String outcome = check(arg, smtputf8);
        Statistics.label("outcome").collect(outcome);
        Statistics.label("outcome").coverage(c -> {
            c.check("local").percentage(p -> p > 5);
            c.check("foreign").percentage(p -> p > 5);
            c.check("refused").percentage(p -> p > 5);
        });
    }

    @Property(tries = 3000)
    void arbitraryTextNeverCrashesTheParser(@ForAll String arg, @ForAll boolean smtputf8) {
        check("<" + arg, smtputf8);
        check(arg, smtputf8);
    }

    @Property(tries = 2000)
    void canonicalFormRoundTrips(@ForAll("structured") String arg) {
        try {
            if (parser.parseRcptTo(arg, true).forwardPath() instanceof SmtpPath.Mailbox m) {
                String again = "<" + m.address().toSmtpForm() + ">";
                if (DomainName.utf8Length(again) <= PathParser.MAX_PATH_OCTETS) {
                    SmtpPath p = parser.parseRcptTo(again, true).forwardPath();
                    assertThat(p).isEqualTo(m);
                }
            }
        } catch (PathException e) {
            assertThat(e.code()).isIn(501, 553, 555);
        }
    }

    /** Parses and checks the property; returns "local", "foreign", "literal", "other" or "refused". */
    private String check(String arg, boolean smtputf8) {
        SmtpPath path;
        try {
            path = parser.parseRcptTo(arg, smtputf8).forwardPath();
        } catch (PathException e) {
            assertThat(e.code()).isIn(501, 553, 555);
            assertThat(e.reply()).doesNotContain("\r", "\n", "\0");
            return "refused";
        }
        if (path instanceof SmtpPath.Literal l) {
            assertThat(LOCAL).doesNotContain(l.address().domain());
            return "literal";
        }
        if (!(path instanceof SmtpPath.Mailbox m)) {
            return "other";
        }
        String domain = m.address().domain();
        String finalDomain = finalAtDomain(arg);
        // The result's domain is exactly the path's last @domain, normalised.
        assertThat(DomainName.normalize(finalDomain)).isEqualTo(domain);
        if (LOCAL.contains(domain)) {
            assertThat(FOREIGN).doesNotContain(finalDomain.toLowerCase(Locale.ROOT));
            assertThat(FOREIGN).doesNotContain(domain);
            return "local";
        }
        return "foreign";
    }

    /** The text after the last '@' of the path, up to the closing bracket that ends the path. */
    private static String finalAtDomain(String arg) {
        int close = arg.lastIndexOf('>');
        String path = arg.substring(0, close);
        return path.substring(path.lastIndexOf('@') + 1);
    }

    private static Set<String> union() {
        Set<String> all = new HashSet<>(LOCAL);
        all.addAll(FOREIGN);
        return all;
    }

    /** Spelling changes applied to a domain. */
    enum Mutation {
        NONE, UPPER, MIXED, TRAILING_DOT, DOUBLE_DOT, LEADING_DOT, FULLWIDTH_DOT, SPACE, NUL, PERCENT_DOT, FULLWIDTH_LETTER, BRACKETED;

        String apply(String d) {
            return switch (this) {
                case NONE -> d;
                case UPPER -> d.toUpperCase(Locale.ROOT);
                case MIXED -> d.isEmpty() ? d : Character.toUpperCase(d.charAt(0)) + d.substring(1);
                case TRAILING_DOT -> d + ".";
                case DOUBLE_DOT -> d.replaceFirst("\\.", "..");
                case LEADING_DOT -> "." + d;
                case FULLWIDTH_DOT -> d.replaceFirst("\\.", "\uFF0E");
                case SPACE -> d + " ";
                case NUL -> d + "\0";
                case PERCENT_DOT -> d.replaceFirst("\\.", "%2e");
                case FULLWIDTH_LETTER -> "\uFF4C" + d.substring(1);
                case BRACKETED -> "[" + d + "]";
            };
        }
    }
}
