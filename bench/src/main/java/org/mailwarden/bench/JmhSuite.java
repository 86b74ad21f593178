package org.mailwarden.bench;

import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;
import org.mailwarden.bench.report.Report;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the JMH benchmarks of the hot paths (package {@code org.mailwarden.bench.jmh}) in a forked JVM
 * and puts their scores into the report. The full run uses 2 forks × 5 one-second iterations after 3 of
 * warm-up; {@code --quick} uses 1 fork × 3 half-second iterations.
 */
final class JmhSuite {

    private JmhSuite() {
    }

    static void run(Report report, boolean quick, String filter) throws RunnerException {
        OptionsBuilder options = new OptionsBuilder();
        options.include("org\\.mailwarden\\.bench\\.jmh\\..*" + (filter == null ? "" : filter))
                .forks(quick ? 1 : 2)
                .warmupIterations(quick ? 2 : 3).warmupTime(TimeValue.milliseconds(quick ? 500 : 1000))
                .measurementIterations(quick ? 3 : 5).measurementTime(TimeValue.milliseconds(quick ? 500 : 1000))
                .jvmArgsAppend(Runtime.version().feature() >= 23
                        // JMH 1.37 still uses sun.misc.Unsafe; allowing it keeps the fork from warning about it
                        ? new String[] {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"}
                        : new String[] {"--enable-native-access=ALL-UNNAMED"})
                .shouldFailOnError(true);
        Collection<RunResult> results = new Runner(options.build()).run();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark().replace("org.mailwarden.bench.jmh.", "");
            Map<String, String> params = r.getParams().getParamsKeys().stream()
                    .collect(Collectors.toMap(k -> k, k -> r.getParams().getParam(k)));
            report.jmh(name, params.isEmpty() ? "" : params.toString(), r.getPrimaryResult().getScore(),
                    r.getPrimaryResult().getScoreError(), r.getPrimaryResult().getScoreUnit());
        }
    }
}
