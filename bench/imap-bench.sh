#!/bin/sh
# The IMAP figures: FETCH 1:* (FLAGS ENVELOPE) and SEARCH TEXT over a MESSAGES-message mailbox, and the
# server heap of IDLE_SESSIONS idling sessions with the time a delivery takes to reach them all.
# One run on a fresh SQLite store in a temporary directory (bench/ImapBench.java, bench/ImapIdleClients.java).
#
# usage: bench/imap-bench.sh        (env: MESSAGES=10000 IDLE_SESSIONS=1000)
set -eu
cd "$(dirname "$0")/.."
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export JAVA_HOME
JAVA="$JAVA_HOME/bin/java"
MESSAGES=${MESSAGES:-10000}
IDLE_SESSIONS=${IDLE_SESSIONS:-1000}

# one reactor build, so the sibling modules come from their target directories, not from ~/.m2
CPFILE=$(mktemp)
./mvnw -B -q -o -pl mailwarden-imap -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$CPFILE"
CP="$(cat "$CPFILE"):mailwarden-imap/target/classes"
rm -f "$CPFILE"
DATA=$(mktemp -d)
trap 'rm -rf "$DATA"' EXIT
ulimit -n 20000 2>/dev/null || true
"$JAVA" --enable-native-access=ALL-UNNAMED -Xmx2g -Dlogback.configurationFile=bench/logback-bench-quiet.xml \
    -cp "$CP" bench/ImapBench.java "$DATA" "$MESSAGES" "$IDLE_SESSIONS" bench
