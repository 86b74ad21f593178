#!/bin/sh
# Measures POP3 RETR throughput of mailwarden: one session retrieving COUNT messages of SIZE octets, then
# one session retrieving one LARGE-octet message, each over plain text and over POP3S (TLS), with one RETR
# in flight at a time (as fetchmail and mail clients do) and, for the small messages, with every RETR
# pipelined. Each client retrieves everything three times in one session; the last round is the figure
# (the first runs on a cold JIT). The server (bench/Pop3BenchServer.java, SQLite store in a temporary
# directory, -Xmx$HEAP) samples its heap every 20 ms; the client has it collect garbage (jcmd GC.run)
# before the last round, and the script reports the heap in use then and at most during the large RETR:
# it stays flat whatever the message size, because RETR streams through one 64 KiB buffer.
#
# usage: bench/pop3-retr.sh         (env: COUNT=1000 SIZE=10240 LARGE=52428800 HEAP=64m PORT=2710)
set -eu
cd "$(dirname "$0")/.."
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export JAVA_HOME
JAVA="$JAVA_HOME/bin/java"
COUNT=${COUNT:-1000}
SIZE=${SIZE:-10240}
LARGE=${LARGE:-52428800}
HEAP=${HEAP:-64m}
PORT=${PORT:-2710}

./mvnw -B -q -o -pl mailwarden-pop3 -am install -DskipTests
CPFILE=$(mktemp)
./mvnw -B -q -o -pl mailwarden-pop3 dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$CPFILE"
CP="$(cat "$CPFILE"):mailwarden-pop3/target/classes"
rm -f "$CPFILE"

DATA=$(mktemp -d)
SERVER=
cleanup() {
    [ -z "$SERVER" ] || kill "$SERVER" 2>/dev/null || true
    [ -z "$SERVER" ] || wait "$SERVER" 2>/dev/null || true
    rm -rf "$DATA" "$DATA.log"
}
trap cleanup EXIT

# compiled ahead, so the heap figures do not include the source launcher's compiler
"$JAVA_HOME/bin/javac" -d "$DATA/classes" -cp "$CP" bench/Pop3BenchServer.java bench/Pop3Retr.java
"$JAVA" --enable-native-access=ALL-UNNAMED -Xmx"$HEAP" -cp "$CP:$DATA/classes" Pop3BenchServer \
    "$DATA/store" "$PORT" "$COUNT" "$SIZE" "$LARGE" > "$DATA.log" 2>&1 &
SERVER=$!
i=0
until grep -q "listening on" "$DATA.log" 2>/dev/null; do
    i=$((i + 1))
    [ $i -lt 600 ] || { cat "$DATA.log"; exit 1; }
    kill -0 "$SERVER" 2>/dev/null || { cat "$DATA.log"; exit 1; }
    sleep 0.5
done

retr() { "$JAVA" -cp "$DATA/classes" Pop3Retr "127.0.0.1:$1" "$2" bench-secret "$3" "$4" ${5:-}; }

# warm-up: the JIT compiles the RETR path before anything is measured
retr "$PORT" small@bench.test plain sequential > /dev/null
retr "$((PORT + 1))" small@bench.test tls sequential > /dev/null

for mode in plain tls; do
    port=$PORT
    [ "$mode" = plain ] || port=$((PORT + 1))
    retr "$port" small@bench.test "$mode" sequential | grep -v '^window'
    retr "$port" small@bench.test "$mode" pipelined | grep -v '^window'
    out=$(retr "$port" large@bench.test "$mode" sequential "$SERVER")
    echo "$out" | grep -v '^window'
    set -- $(echo "$out" | grep '^window')
    awk -v s="$2" -v e="$3" -v mode="$mode" -v heap="$HEAP" '$1 == "heap" && $2 < s { before = $3 }
        $1 == "heap" && $2 >= s && $2 <= e { if ($3 > max) max = $3; n++ }
        END { printf "server heap (%s, -Xmx%s): %.1f MiB in use after GC when the large RETR began, at most %.1f MiB during it (%d samples, every 20 ms)\n",
            mode, heap, before / 1048576, max / 1048576, n }' "$DATA.log"
done
