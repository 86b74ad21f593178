package org.mailwarden.bench.load;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Deterministic, plausible test messages: RFC 5322 headers and a text/plain body of ordinary words, at
 * a requested size. Message {@code n} is the same on every run and for every server, so the two sides
 * of a comparison store, fetch and search the same bytes. One message in {@link #RARE_EVERY} contains
 * the word {@link #RARE_WORD}, which gives {@code SEARCH TEXT} a selective term to find.
 */
public final class MessageGenerator {

    public static final String RARE_WORD = "zebracorn";
    public static final int RARE_EVERY = 100;

    private static final String[] WORDS = (
            "the of and to in is that for it as was with be by on not he this are or his from at which but have an "
            + "they you were her all she there would their we him been has when who will more no if out so said what up "
            + "its about into than them can only other new some could time these two may then do first any my now such "
            + "like our over man me even most made after also did many before must through back years where much your "
            + "way well down should because each just those people how too little state good very make world still own "
            + "see men work long get here between both life being under never day same another know while last might us "
            + "great old year off come since against go came right used take three invoice meeting report budget server "
            + "mailbox delivery queue relay policy cluster backup quarterly schedule release milestone").split(" ");

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);
    private static final ZonedDateTime EPOCH = ZonedDateTime.of(2026, 1, 5, 9, 0, 0, 0, ZoneOffset.UTC);

    private final String recipient;

    public MessageGenerator(String recipient) {
        this.recipient = recipient;
    }

    /** Message number {@code n}, about {@code size} bytes long (never shorter than its headers). */
    public byte[] message(int n, int size) {
        SplittableRandom random = new SplittableRandom(0x6d61696c7761L + n);
        String sender = WORDS[random.nextInt(WORDS.length)] + "." + WORDS[random.nextInt(WORDS.length)] + "@sender" + (n % 7) + ".test";
        StringBuilder m = new StringBuilder(size + 256);
        m.append("Return-Path: <").append(sender).append(">\r\n");
        m.append("From: ").append(capitalised(WORDS[random.nextInt(WORDS.length)])).append(" <").append(sender).append(">\r\n");
        m.append("To: <").append(recipient).append(">\r\n");
        m.append("Subject: ").append(capitalised(words(random, 3 + random.nextInt(5)))).append(" #").append(n).append("\r\n");
        m.append("Date: ").append(DATE.format(EPOCH.plusMinutes(n * 7L))).append("\r\n");
        m.append("Message-ID: <bench.").append(n).append('.').append(Integer.toHexString(random.nextInt())).append("@sender.test>\r\n");
        m.append("MIME-Version: 1.0\r\n");
        m.append("Content-Type: text/plain; charset=us-ascii\r\n");
        m.append("\r\n");
        boolean rare = n % RARE_EVERY == RARE_EVERY / 2;
        int line = 0;
        int lineStart = m.length();
        while (m.length() < size - 2) {
            String word = rare && line == 3 ? RARE_WORD : WORDS[random.nextInt(WORDS.length)];
            m.append(word);
            // a line past 900 octets ends anyway: SMTP refuses lines over 998 (rare, but a large message has many lines)
            if (random.nextInt(12) == 0 || m.length() - lineStart > 900) {
                m.append("\r\n");
                lineStart = m.length();
                line++;
            } else {
                m.append(' ');
            }
        }
        if (rare && line <= 3) {
            m.append(RARE_WORD);
        }
        m.append("\r\n");
        return m.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static String words(SplittableRandom random, int count) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                s.append(' ');
            }
            s.append(WORDS[random.nextInt(WORDS.length)]);
        }
        return s.toString();
    }

    private static String capitalised(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
