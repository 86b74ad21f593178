package org.mailwarden.imap.parser;

/**
 * The bounds on what one client command may make the server hold or read: the length of a command line,
 * the bytes of a whole command (lines plus in-memory literals), a literal used as a string, a message
 * literal (APPENDLIMIT), how deep parenthesised lists nest, and how many tokens one command has.
 * Non-synchronising literals beyond a limit are read and discarded up to {@code maxDiscard} octets so
 * the session stays in step; larger ones end the session.
 */
public record ImapLimits(int maxLineLength, long maxCommandBytes, int maxStringLiteral, long appendLimit,
                         int maxListDepth, int maxTokens, long maxDiscard) {

    public ImapLimits {
        if (maxLineLength < 1024 || maxCommandBytes < maxLineLength || maxStringLiteral < 1 || appendLimit < 1
                || maxListDepth < 1 || maxTokens < 16 || maxDiscard < 0) {
            throw new IllegalArgumentException("invalid IMAP limits");
        }
    }

    /**
     * 64 KiB lines (long UID sets from desktop clients fit), 1 MiB per command, 64 KiB string literals,
     * the given APPENDLIMIT, lists 16 deep, 100,000 tokens, and non-synchronising literals discarded up
     * to the APPENDLIMIT.
     */
    public static ImapLimits defaults(long appendLimit) {
        return new ImapLimits(64 * 1024, 1024 * 1024, 64 * 1024, appendLimit, 16, 100_000, appendLimit);
    }
}
