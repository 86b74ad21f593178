#!/bin/sh
# Measures how many messages per second mailwarden's SMTP server accepts (250 only after the message is
# durably group-committed) with SESSIONS concurrent sessions sending SIZE-octet messages to one local
# mailbox:
#   plain     with Postfix's smtp-source (apt-get install -y postfix; the postfix daemon need not run)
#   plain     with bench/SmtpLoad.java (virtual threads, pipelined MAIL/RCPT/DATA), for comparison
#   STARTTLS  with bench/SmtpLoad.java
# Each measurement gets a fresh server (bench/SmtpBenchServer.java, SQLite store in a temporary
# directory) warmed up with WARMUP messages first, so every run starts from the same empty store (and stays
# within the first 64 MiB blob segment). Server logging is at INFO, as in production. Results: smtp-accept.md.
#
# usage: bench/smtp-accept.sh        (env: SESSIONS=20 MESSAGES=4000 WARMUP=1000 SIZE=10240 PORT=2625)
set -eu
cd "$(dirname "$0")/.."
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export JAVA_HOME
JAVA="$JAVA_HOME/bin/java"
SESSIONS=${SESSIONS:-20}
MESSAGES=${MESSAGES:-4000}
WARMUP=${WARMUP:-1000}
SIZE=${SIZE:-10240}
PORT=${PORT:-2625}

./mvnw -B -q -o -pl mailwarden-smtp -am install -DskipTests
CPFILE=$(mktemp)
./mvnw -B -q -o -pl mailwarden-smtp dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$CPFILE"
CP="$(cat "$CPFILE"):mailwarden-smtp/target/classes"
rm -f "$CPFILE"

SERVER=
DATA=
stop_server() {
    if [ -n "$SERVER" ]; then
        kill "$SERVER" 2>/dev/null || true
        wait "$SERVER" 2>/dev/null || true
        rm -rf "$DATA" "$DATA.log"
        SERVER=
    fi
}
trap stop_server EXIT

start_server() {
    DATA=$(mktemp -d)
    "$JAVA" --enable-native-access=ALL-UNNAMED -Xmx1g -Dlogback.configurationFile=bench/logback-bench.xml \
        -cp "$CP" bench/SmtpBenchServer.java "$DATA" "$PORT" > "$DATA.log" 2>&1 &
    SERVER=$!
    i=0
    until grep -q "listening on" "$DATA.log" 2>/dev/null; do
        i=$((i + 1))
        [ $i -lt 120 ] || { cat "$DATA.log"; exit 1; }
        sleep 0.5
    done
}

load() { "$JAVA" bench/SmtpLoad.java "127.0.0.1:$PORT" "$SESSIONS" "$1" "$SIZE" sink@bench.test "$2"; }

if [ -x /usr/sbin/smtp-source ]; then
    start_server
    load "$WARMUP" plain > /dev/null
    start=$(date +%s.%N)
    /usr/sbin/smtp-source -d -s "$SESSIONS" -m "$MESSAGES" -l "$SIZE" -f load@remote.example -t sink@bench.test \
        -M load.client "127.0.0.1:$PORT"
    end=$(date +%s.%N)
    awk -v s="$start" -v e="$end" -v n="$MESSAGES" -v c="$SESSIONS" -v l="$SIZE" 'BEGIN {
        printf "smtp-source plain: %d sessions, %d messages of %d octets in %.2f s = %.0f messages/s\n", c, n, l, e - s, n / (e - s) }'
    stop_server
else
    echo "smtp-source not installed (apt-get install -y postfix); skipping it"
fi

for mode in plain starttls; do
    start_server
    load "$WARMUP" "$mode" > /dev/null
    load "$MESSAGES" "$mode"
    stop_server
done
