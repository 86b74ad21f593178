package org.mailwarden.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.mailwarden.core.address.MailFrom;
import org.mailwarden.core.address.PathException;
import org.mailwarden.core.address.PathParser;
import org.mailwarden.core.address.RcptTo;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The strict RFC 5321 path parser on what every SMTP transaction sends: a MAIL FROM with the usual
 * parameters, a plain RCPT TO, and the rarer spellings that take the long way (a quoted local part, a
 * source route).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PathParserBenchmark {

    private final PathParser parser = new PathParser();

    @Benchmark
    public MailFrom mailFromWithParameters() throws PathException {
        return parser.parseMailFrom("<newsletter+bounce-4711@lists.sender.example> SIZE=48213 BODY=8BITMIME");
    }

    @Benchmark
    public RcptTo rcptToPlain() throws PathException {
        return parser.parseRcptTo("<alice.smith@example.test>", false);
    }

    @Benchmark
    public RcptTo rcptToQuotedLocalPart() throws PathException {
        return parser.parseRcptTo("<\"alice smith\\\"@x\"@example.test>", false);
    }

    @Benchmark
    public RcptTo rcptToSourceRoute() throws PathException {
        return parser.parseRcptTo("<@relay1.example,@relay2.example:bob@example.test> NOTIFY=FAILURE,DELAY", false);
    }
}
