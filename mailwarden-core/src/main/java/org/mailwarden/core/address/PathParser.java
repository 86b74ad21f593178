package org.mailwarden.core.address;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The strict RFC 5321 parser for the arguments of {@code MAIL FROM:} and {@code RCPT TO:} (the text after
 * the colon): a path in angle brackets, then optional ESMTP parameters.
 *
 * <p>What makes it strict, and why: the domain is always the text after the <em>last</em> {@code @} of the
 * mailbox, because quoted local parts are unquoted only after the mailbox has been split; {@code %} and
 * {@code !} are ordinary local-part characters and never route; source routes ({@code <@a,@b:u@c>}) are
 * checked and ignored; domains are normalised by {@link DomainName} (lower case, A-labels, no trailing
 * dot); address literals come back as {@link SmtpPath.Literal}, never as a domain name. Together these
 * mean that no spelling can make a foreign destination look local. Non-ASCII is accepted only when
 * SMTPUTF8 was given. Limits: 256 octets per path, 64 per local part (RFC 5321 §4.5.3.1).
 *
 * <p>Errors are {@link PathException}s carrying the full reply: {@code 501} with {@code 5.1.7} (sender)
 * or {@code 5.1.3} (recipient) for a bad path, {@code 553 5.6.7} for non-ASCII without SMTPUTF8,
 * {@code 553} for an unsupported address literal form, {@code 501 5.5.4} for a malformed or repeated
 * parameter and {@code 555 5.5.4} for a parameter that is unknown, not advertised or belongs to the
 * other command. One space (or several) between the colon and {@code <} is tolerated, since common
 * clients send it and it cannot change the meaning of the path.
 */
public final class PathParser {

    public static final int MAX_PATH_OCTETS = 256;
    public static final int MAX_LOCAL_PART_OCTETS = 64;

    private static final int MAX_ARGUMENT_CHARS = 2048;
    private static final int MAX_PARAMETERS = 16;
    private static final int MAX_KEYWORD_CHARS = 32;
    private static final int MAX_ENVID_CHARS = 100;
    private static final int MAX_ORCPT_CHARS = 500;
    private static final int MAX_AUTH_CHARS = 500;

    private final Set<EsmtpParameter> supported;

    /** A parser accepting every parameter it knows. */
    public PathParser() {
        this(EnumSet.allOf(EsmtpParameter.class));
    }

    /** A parser accepting only the parameters of the extensions the server advertises. */
    public PathParser(Set<EsmtpParameter> supported) {
        this.supported = supported.isEmpty() ? EnumSet.noneOf(EsmtpParameter.class) : EnumSet.copyOf(supported);
    }

    /** Parses the argument of {@code MAIL FROM:} (the text after the colon). */
    public MailFrom parseMailFrom(String argument) throws PathException {
        Split split = split(argument, Role.SENDER);
        Parameters p = parameters(split.parameters(), true, false);
        SmtpPath path = new Scanner(split.path(), Role.SENDER, p.smtputf8).path();
        return new MailFrom(path, new MailParameters(p.size, p.body, p.smtputf8, p.ret, p.envid, p.auth));
    }

    /**
     * Parses the argument of {@code RCPT TO:}; {@code smtputf8} says whether the transaction's
     * {@code MAIL FROM} carried the SMTPUTF8 parameter.
     */
    public RcptTo parseRcptTo(String argument, boolean smtputf8) throws PathException {
        Split split = split(argument, Role.RECIPIENT);
        Parameters p = parameters(split.parameters(), false, smtputf8);
        SmtpPath path = new Scanner(split.path(), Role.RECIPIENT, smtputf8).path();
        return new RcptTo(path, new RcptParameters(p.notify, p.orcpt));
    }

    /** Which side of the envelope a path is on; it picks the enhanced status code of a syntax error. */
    private enum Role {
        SENDER("5.1.7", "Bad sender address syntax"),
        RECIPIENT("5.1.3", "Bad recipient address syntax");

        final String enhanced;
        final String text;

        Role(String enhanced, String text) {
            this.enhanced = enhanced;
            this.text = text;
        }

        PathException syntax(String reason) {
            return new PathException(501, enhanced, text + ": " + reason);
        }

        PathException notAllowed(String reason) {
            return new PathException(553, enhanced, text + ": " + reason);
        }
    }

    private record Split(String path, String parameters) {
    }

    /** Separates the bracketed path from the parameters, honouring quoted strings (which may contain '>'). */
    private static Split split(String argument, Role role) throws PathException {
        if (argument == null || argument.isEmpty()) {
            throw role.syntax("missing address; expected <user@example.com>");
        }
        if (argument.length() > MAX_ARGUMENT_CHARS) {
            throw role.syntax("argument too long");
        }
        int open = 0;
        while (open < argument.length() && argument.charAt(open) == ' ') {
            open++;
        }
        if (open == argument.length() || argument.charAt(open) != '<') {
            throw role.syntax("the address must be in angle brackets, as in <user@example.com>");
        }
        int close = -1;
        boolean quoted = false;
        for (int i = open + 1; i < argument.length() && close < 0; i++) {
            char c = argument.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '>') {
                close = i;
            }
        }
        if (close < 0) {
            throw role.syntax("missing closing angle bracket");
        }
        String path = argument.substring(open, close + 1);
        if (DomainName.utf8Length(path) > MAX_PATH_OCTETS) {
            throw role.syntax("path longer than " + MAX_PATH_OCTETS + " octets");
        }
        String rest = argument.substring(close + 1);
        if (!rest.isEmpty() && rest.charAt(0) != ' ') {
            throw role.syntax("unexpected text after the closing angle bracket");
        }
        return new Split(path.substring(1, path.length() - 1), rest);
    }

    /** The parameters of either command while they are being collected. */
    private static final class Parameters {
        final Set<EsmtpParameter> seen = EnumSet.noneOf(EsmtpParameter.class);
        OptionalLong size = OptionalLong.empty();
        MailParameters.Body body;
        boolean smtputf8;
        MailParameters.Ret ret;
        String envid;
        String auth;
        Set<RcptParameters.Notify> notify = Set.of();
        RcptParameters.Orcpt orcpt;
    }

    private Parameters parameters(String text, boolean mail, boolean smtputf8) throws PathException {
        Parameters p = new Parameters();
        List<String> tokens = Arrays.stream(text.split(" ")).filter(t -> !t.isEmpty()).toList();
        if (tokens.size() > MAX_PARAMETERS) {
            throw badParameter("too many parameters");
        }
        for (String token : tokens) {
            int eq = token.indexOf('=');
            String keyword = eq < 0 ? token : token.substring(0, eq);
            String value = eq < 0 ? null : token.substring(eq + 1);
            if (!isKeyword(keyword)) {
                throw badParameter("malformed parameter");
            }
            if (value != null && !isValue(value, !mail && smtputf8)) {
                throw badParameter("malformed value of the " + keyword.toUpperCase(Locale.ROOT) + " parameter");
            }
            EsmtpParameter param = lookup(keyword, mail);
            if (!p.seen.add(param)) {
                throw badParameter("the " + param + " parameter is given twice");
            }
            apply(p, param, value, smtputf8);
        }
        return p;
    }

    private EsmtpParameter lookup(String keyword, boolean mail) throws PathException {
        String upper = keyword.toUpperCase(Locale.ROOT);
        for (EsmtpParameter e : EsmtpParameter.values()) {
            if (e.name().equals(upper) && e.ofMail() == mail && supported.contains(e)) {
                return e;
            }
        }
        throw new PathException(555, "5.5.4", "Unsupported parameter " + upper + " for " + (mail ? "MAIL FROM" : "RCPT TO"));
    }

    private static void apply(Parameters p, EsmtpParameter param, String value, boolean smtputf8) throws PathException {
        if (param == EsmtpParameter.SMTPUTF8) {
            if (value != null) {
                throw badParameter("SMTPUTF8 takes no value");
            }
            p.smtputf8 = true;
            return;
        }
        if (value == null) {
            throw badParameter("the " + param + " parameter needs a value");
        }
        String upper = value.toUpperCase(Locale.ROOT);
        switch (param) {
            case SIZE -> p.size = OptionalLong.of(size(value));
            case BODY -> p.body = switch (upper) {
                case "7BIT" -> MailParameters.Body.SEVEN_BIT;
                case "8BITMIME" -> MailParameters.Body.EIGHT_BIT_MIME;
                case "BINARYMIME" -> MailParameters.Body.BINARY_MIME;
                default -> throw badParameter("BODY must be 7BIT, 8BITMIME or BINARYMIME");
            };
            case RET -> p.ret = switch (upper) {
                case "FULL" -> MailParameters.Ret.FULL;
                case "HDRS" -> MailParameters.Ret.HDRS;
                default -> throw badParameter("RET must be FULL or HDRS");
            };
            case ENVID -> p.envid = xtext(value, MAX_ENVID_CHARS, "ENVID");
            case AUTH -> p.auth = xtext(value, MAX_AUTH_CHARS, "AUTH");
            case NOTIFY -> p.notify = notify(upper);
            case ORCPT -> p.orcpt = orcpt(value, smtputf8);
            default -> throw new IllegalStateException("unhandled parameter " + param);
        }
    }

    private static long size(String value) throws PathException {
        if (value.isEmpty() || value.length() > 20 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw badParameter("SIZE must be a number of octets");
        }
        // A number too large for a long is certainly over any limit; saturating keeps the 552 reply right.
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    private static String xtext(String value, int max, String name) throws PathException {
        if (value.length() > max) {
            throw badParameter(name + " longer than " + max + " characters");
        }
        try {
            return Xtext.decode(value);
        } catch (IllegalArgumentException e) {
            throw badParameter(name + " is not valid xtext");
        }
    }

    private static Set<RcptParameters.Notify> notify(String upper) throws PathException {
        Set<RcptParameters.Notify> out = EnumSet.noneOf(RcptParameters.Notify.class);
        for (String word : upper.split(",", -1)) {
            RcptParameters.Notify n = switch (word) {
                case "NEVER" -> RcptParameters.Notify.NEVER;
                case "SUCCESS" -> RcptParameters.Notify.SUCCESS;
                case "FAILURE" -> RcptParameters.Notify.FAILURE;
                case "DELAY" -> RcptParameters.Notify.DELAY;
                default -> throw badParameter("NOTIFY must be NEVER or a list of SUCCESS, FAILURE, DELAY");
            };
            if (!out.add(n)) {
                throw badParameter("NOTIFY lists a value twice");
            }
        }
        if (out.contains(RcptParameters.Notify.NEVER) && out.size() > 1) {
            throw badParameter("NOTIFY=NEVER can't be combined with other values");
        }
        return out;
    }

    private static RcptParameters.Orcpt orcpt(String value, boolean smtputf8) throws PathException {
        if (value.length() > MAX_ORCPT_CHARS) {
            throw badParameter("ORCPT longer than " + MAX_ORCPT_CHARS + " characters");
        }
        int semi = value.indexOf(';');
        if (semi <= 0 || semi == value.length() - 1 || !isAtom(value.substring(0, semi))) {
            throw badParameter("ORCPT must be addr-type;address, as in rfc822;user@example.com");
        }
        String type = value.substring(0, semi).toLowerCase(Locale.ROOT);
        String address = value.substring(semi + 1);
        try {
            return new RcptParameters.Orcpt(type, type.equals("utf-8")
                    ? Xtext.decodeUtf8Address(address, smtputf8)
                    : Xtext.decode(address));
        } catch (IllegalArgumentException e) {
            throw badParameter("ORCPT address is not correctly encoded");
        }
    }

    private static PathException badParameter(String reason) {
        return new PathException(501, "5.5.4", "Syntax error in parameters: " + reason);
    }

    private static boolean isKeyword(String k) {
        if (k.isEmpty() || k.length() > MAX_KEYWORD_CHARS || !DomainName.isLetterDigit(k.charAt(0))) {
            return false;
        }
        return k.chars().allMatch(c -> DomainName.isLetterDigit(c) || c == '-');
    }

    /** RFC 5321 esmtp-value: printable ASCII except '='; RFC 6531 adds UTF-8 (used here only by ORCPT). */
    private static boolean isValue(String v, boolean utf8) {
        if (v.isEmpty()) {
            return false;
        }
        for (int i = 0; i < v.length(); ) {
            int cp = v.codePointAt(i);
            boolean ok = cp >= 0x80 ? utf8 && !DomainName.isProhibitedCodePoint(cp) : cp >= 33 && cp <= 126 && cp != '=';
            if (!ok) {
                return false;
            }
            i += Character.charCount(cp);
        }
        return true;
    }

    private static boolean isAtom(String s) {
        return !s.isEmpty() && s.chars().allMatch(PathParser::isAtext);
    }

    /** RFC 5321 atext (ASCII part). */
    static boolean isAtext(int c) {
        return DomainName.isLetterDigit(c) || (c < 0x80 && "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0);
    }

    /** Reads the path between the angle brackets, left to right, one grammar rule per method. */
    private static final class Scanner {
        private final String s;
        private final Role role;
        private final boolean utf8;
        private int pos;

        Scanner(String s, Role role, boolean utf8) {
            this.s = s;
            this.role = role;
            this.utf8 = utf8;
        }

        SmtpPath path() throws PathException {
            if (s.isEmpty()) {
                if (role == Role.SENDER) {
                    return new SmtpPath.Null();
                }
                throw role.syntax("the null path <> is not a valid recipient");
            }
            if (role == Role.RECIPIENT && s.equalsIgnoreCase("postmaster")) {
                return new SmtpPath.Postmaster(s);
            }
            if (peek() == '@') {
                sourceRoute();
            }
            int start = pos;
            String localPart = peek() == '"' ? quotedString() : dotString();
            if (DomainName.utf8Length(s.substring(start, pos)) > MAX_LOCAL_PART_OCTETS) {
                throw role.syntax("local part longer than " + MAX_LOCAL_PART_OCTETS + " octets");
            }
            if (localPart.isEmpty()) {
                throw role.syntax("empty local part");
            }
            if (pos == s.length()) {
                throw role.syntax("the address has no domain");
            }
            if (peek() != '@') {
                throw unexpected();
            }
            pos++;
            String domain = s.substring(pos);
            if (domain.startsWith("[")) {
                return new SmtpPath.Literal(localPart, literal(domain));
            }
            return new SmtpPath.Mailbox(new MailAddress(localPart, domain(domain)));
        }

        /** {@code @a,@b:} — validated like any domain, then ignored as RFC 5321 §4.1.1.3 asks. */
        private void sourceRoute() throws PathException {
            while (true) {
                if (peek() != '@') {
                    throw role.syntax("malformed source route");
                }
                int start = ++pos;
                while (pos < s.length() && s.charAt(pos) != ',' && s.charAt(pos) != ':') {
                    pos++;
                }
                if (pos == s.length()) {
                    throw role.syntax("malformed source route");
                }
                domain(s.substring(start, pos));
                if (s.charAt(pos++) == ':') {
                    return;
                }
            }
        }

        private String dotString() throws PathException {
            StringBuilder out = new StringBuilder();
            while (true) {
                int atomStart = pos;
                while (pos < s.length()) {
                    int cp = s.codePointAt(pos);
                    if (cp >= 0x80 ? !acceptNonAscii(cp) : !isAtext(cp)) {
                        break;
                    }
                    pos += Character.charCount(cp);
                }
                if (pos == atomStart) {
                    if (pos == s.length() && out.isEmpty()) {
                        throw role.syntax("missing local part");
                    }
                    if (pos < s.length() && s.charAt(pos) == '.' || !out.isEmpty()) {
                        throw role.syntax("empty part in local part (a dot at the start or end, or two dots in a row)");
                    }
                    if (pos < s.length() && s.charAt(pos) == '@') {
                        throw role.syntax("empty local part");
                    }
                    throw unexpected();
                }
                out.append(s, atomStart, pos);
                if (peek() != '.') {
                    return out.toString();
                }
                out.append('.');
                pos++;
            }
        }

        private String quotedString() throws PathException {
            StringBuilder out = new StringBuilder();
            pos++;
            while (true) {
                if (pos >= s.length()) {
                    throw role.syntax("unterminated quoted string");
                }
                int cp = s.codePointAt(pos);
                pos += Character.charCount(cp);
                if (cp == '"') {
                    return out.toString();
                }
                if (cp == '\\') {
                    if (pos >= s.length() || s.charAt(pos) < 32 || s.charAt(pos) > 126) {
                        throw role.syntax("a backslash in a quoted string must be followed by a printable ASCII character");
                    }
                    out.append(s.charAt(pos++));
                } else if (cp >= 0x80) {
                    if (!acceptNonAscii(cp)) {
                        throw role.syntax("character not allowed in a quoted string");
                    }
                    out.appendCodePoint(cp);
                } else if (cp >= 32 && cp <= 126) {
                    out.append((char) cp);
                } else {
                    throw role.syntax("control character in the address");
                }
            }
        }

        /** Non-ASCII is a 553 5.6.7 without SMTPUTF8 (RFC 6531 §3.7.4.1); with it, only sane code points pass. */
        private boolean acceptNonAscii(int cp) throws PathException {
            if (!utf8) {
                throw nonAscii();
            }
            return !DomainName.isProhibitedCodePoint(cp);
        }

        private PathException nonAscii() {
            return new PathException(553, "5.6.7", "Non-ASCII address requires the SMTPUTF8 parameter");
        }

        private String domain(String text) throws PathException {
            if (!utf8 && !DomainName.isAscii(text)) {
                throw nonAscii();
            }
            try {
                return DomainName.normalize(text);
            } catch (DomainName.InvalidDomain e) {
                throw role.syntax(e.reason());
            }
        }

        private InetAddress literal(String text) throws PathException {
            if (!text.endsWith("]") || text.indexOf(']') != text.length() - 1) {
                throw role.syntax("malformed address literal");
            }
            String body = text.substring(1, text.length() - 1);
            InetAddress ip;
            if (body.regionMatches(true, 0, "IPv6:", 0, 5)) {
                ip = IpAddresses.parseIpv6(body.substring(5));
            } else if (body.indexOf(':') >= 0) {
                throw role.notAllowed("only IPv4 and IPv6 address literals are supported");
            } else {
                ip = IpAddresses.parseIpv4(body);
            }
            if (ip == null) {
                throw role.syntax("malformed address literal");
            }
            return ip;
        }

        private int peek() {
            return pos < s.length() ? s.charAt(pos) : -1;
        }

        private PathException unexpected() {
            int c = s.codePointAt(pos);
            if (c == ' ' || c == '\t') {
                return role.syntax("whitespace in the address");
            }
            if (c < 32 || c == 127) {
                return role.syntax("control character in the address");
            }
            return role.syntax("character not allowed in the local part");
        }
    }
}
