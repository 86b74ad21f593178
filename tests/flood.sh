#!/usr/bin/env bash
# Long form of the flood test (FloodTest): thousands of connections from many 127.x.y.z addresses up to
# and past the per-IP and total limits, slow (1 byte/s), deaf (never read) and huge-line clients, while a
# legitimate client must be greeted within a second; afterwards no descriptor or thread may be left.
#
#   tests/flood.sh [CONNECTIONS] [PER_IP] [SLOW_SECONDS]    default: 10000 connections, 20 per address, 30 s
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
connections="${1:-10000}"
per_ip="${2:-20}"
slow="${3:-30}"
# the test JVM and the server process each hold one descriptor per connection (total limit = 4/3 of
# the flood), plus the abusers and room
needed=$(( connections * 4 / 3 + 2048 ))
if [ "$(ulimit -n)" -lt "$needed" ]; then
    ulimit -n "$needed" 2>/dev/null || ulimit -n "$(ulimit -Hn)"
fi
echo "tests: ulimit -n $(ulimit -n)"
run_tests FloodTest -Dmailwarden.flood.connections="$connections" -Dmailwarden.flood.perIp="$per_ip" \
    -Dmailwarden.flood.slowSeconds="$slow" -Dmailwarden.flood.abusers=100 -Dmailwarden.flood.greetingMillis=1000
