#!/usr/bin/env bash
# Long fuzzing run: each Jazzer target of mailwarden-tests in turn, for DURATION each (default 10m).
# New interesting inputs collect in mailwarden-tests/.cifuzz-corpus/ (not committed); a finding is saved
# as a crash file next to the seed corpus under mailwarden-tests/src/test/resources/.../<Test>Inputs/ and
# from then on runs in every build as a regression test. To keep a grown corpus, copy the inputs worth
# keeping into that directory.
#
#   tests/fuzz.sh [DURATION] [TARGET...]     e.g. tests/fuzz.sh 30s  or  tests/fuzz.sh 1h 'SmtpSessionFuzzTest#smtpSession'
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
duration="${1:-10m}"
shift || true
targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
    targets=(
        'PathParserFuzzTest#pathParser'
        'SmtpSessionFuzzTest#smtpSession'
        'ConfigLoaderFuzzTest#configLoader'
        'Pop3FuzzTest#pop3CommandParser'
        'Pop3FuzzTest#pop3Session'
        'ImapSessionFuzzTest#imapSession'
        'MimeFuzzTest#mimeStructure'
    )
fi
mkdir -p mailwarden-tests/target
rm -f "$FIGURES"
status=0
for target in "${targets[@]}"; do
    echo "== fuzzing $target for $duration =="
    log="mailwarden-tests/target/fuzz-${target//[^A-Za-z0-9]/_}.log"
    JAZZER_FUZZ=1 ./mvnw -B -q -pl mailwarden-tests -am test -Dtest="$target" -Djazzer.max_duration="$duration" \
        -Dsurefire.failIfNoSpecifiedTests=false >"$log" 2>&1 || { status=1; echo "FINDING or failure: see $log"; }
    # libFuzzer reports on the console or in the surefire output file, depending on the stream it uses
    report="$(ls mailwarden-tests/target/surefire-reports/*"${target%%#*}"-output.txt 2>/dev/null | head -1)"
    done_line="$(cat "$log" ${report:+"$report"} | grep -a '^Done [0-9]* runs' | tail -1 || true)"
    cov_line="$(cat "$log" ${report:+"$report"} | grep -a '#[0-9]*	DONE' | tail -1 || true)"
    echo "$(date -u +%FT%TZ) fuzz $target: ${done_line:-no run count} ${cov_line#*DONE}" | tee -a "$FIGURES"
done
exit "$status"
