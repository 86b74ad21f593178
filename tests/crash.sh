#!/usr/bin/env bash
# Long form of the kill -9 crash test (SmtpCrashTest): the real server process takes mail from concurrent
# SMTP, submission (STARTTLS + AUTH) and submissions clients, and delivers its queue to a receiving server,
# and is killed with SIGKILL at random moments, then restarted on the same data; every message
# acknowledged with 250 must be stored exactly once, or (foreign recipients) queued or delivered; and the
# same with IMAPS clients doing APPEND, MOVE and EXPUNGE (ImapCrashTest).
#
#   tests/crash.sh [TRIALS] [PG_TRIALS] [OUTBOUND_TRIALS] [IMAP_TRIALS] [CLIENTS]   default: 20 20 20 20 12
#   MAILWARDEN_CRASH_SEED=N tests/crash.sh                            replay the kill moments of a run
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
args=(-Dmailwarden.crash.trials="${1:-20}" -Dmailwarden.crash.pgTrials="${2:-20}"
      -Dmailwarden.crash.outboundTrials="${3:-20}" -Dmailwarden.crash.imapTrials="${4:-20}"
      -Dmailwarden.crash.clients="${5:-12}"
      -Dmailwarden.crash.drainSeconds=300)
if [ -n "${MAILWARDEN_CRASH_SEED:-}" ]; then
    args+=(-Dmailwarden.crash.seed="$MAILWARDEN_CRASH_SEED")
fi
run_tests '*CrashTest' "${args[@]}"
