#!/usr/bin/env bash
# The reference servers for the benchmark: Postfix (SMTP, Maildir delivery) and Dovecot (IMAP and POP3 on
# Postfix's deliveries), installed from Debian's packages and run as private instances on 127.0.0.1 high
# ports, with their own configuration under one directory. Nothing here touches the system's default
# Postfix or Dovecot configuration, and nothing listens on the standard mail ports.
#
#   bench/reference/setup.sh [all|install|configure|start|stop|status]     (default: all)
#
#   all        install (when missing), configure, start; rerunnable at any time
#   install    apt-get install postfix dovecot-imapd dovecot-pop3d, non-interactively; stops any default
#              instance the packages may have started, with the packages' own commands
#   configure  writes the private configuration (rewritten on every run; mailboxes are kept)
#   start      starts both instances (a running instance is restarted on its new configuration)
#   stop       stops both instances with their own stop commands
#   status     says what runs and where
#
# Environment: MW_BENCH_REF_DIR (default /var/tmp/mailwarden-bench/reference) is the private directory;
# REF_PASSWORD_HASH is the Argon2id PHC string for the users' password (bench/run passes one made with
# mailwarden's own hashing parameters so that both servers pay the same for a login; without it Dovecot's
# default ARGON2ID parameters are used). The ports and users are written to $MW_BENCH_REF_DIR/reference.env.
set -euo pipefail

DIR="${MW_BENCH_REF_DIR:-/var/tmp/mailwarden-bench/reference}"
SMTP_PORT="${REF_SMTP_PORT:-10025}"
SINK_PORT="${REF_SINK_PORT:-10026}"
IMAP_PORT="${REF_IMAP_PORT:-10143}"
IMAPS_PORT="${REF_IMAPS_PORT:-10993}"
POP3_PORT="${REF_POP3_PORT:-10110}"
POP3S_PORT="${REF_POP3S_PORT:-10995}"
DOMAIN="example.test"
USERS="bench1 bench2 bench3 bench4 imapmix pop3drop idle idlelat tls1 pop3big"
PASSWORD="bench-password"
MAIL_USER="mwbench"

PF="$DIR/postfix"              # Postfix config_directory
DC="$DIR/dovecot"              # Dovecot config, state and runtime
MAIL="$DIR/mail"               # Maildirs: $MAIL/example.test/USER/Maildir
TLS="$DIR/tls"

say() { printf 'reference: %s\n' "$*" >&2; }
die() { printf 'reference: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root: the packages are installed with apt-get and the servers bind and change users"

installed() { command -v postfix >/dev/null 2>&1 && command -v dovecot >/dev/null 2>&1 \
    && command -v smtp-source >/dev/null 2>&1 && [ -e /usr/lib/dovecot/imap ] && [ -e /usr/lib/dovecot/pop3 ] \
    && command -v sqlite3 >/dev/null 2>&1 && command -v openssl >/dev/null 2>&1; }

# The Debian packages may start a default instance (on a machine where services start during package
# installation); stop it with its own command so that nothing listens on 25/110/143/993/995.
stop_default_instances() {
    if [ -f /etc/postfix/main.cf ] && postfix status >/dev/null 2>&1; then
        say "stopping the default Postfix instance (postfix stop)"
        postfix stop >/dev/null 2>&1 || true
    fi
    if [ -f /etc/dovecot/dovecot.conf ] && [ -s /run/dovecot/master.pid ] \
            && kill -0 "$(cat /run/dovecot/master.pid)" 2>/dev/null; then
        say "stopping the default Dovecot instance (doveadm stop)"
        doveadm stop >/dev/null 2>&1 || true
    fi
}

do_install() {
    if installed; then
        stop_default_instances
        return 0
    fi
    # sqlite3 lets the benchmark count what landed in mailwarden's store without logging in
    say "installing postfix, dovecot-imapd, dovecot-pop3d, sqlite3 from Debian's packages"
    # "No configuration": the package writes no main.cf, so it never starts a default instance.
    echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q postfix dovecot-imapd dovecot-pop3d sqlite3 openssl >/dev/null
    installed || die "the packages installed but postfix, dovecot, smtp-source or sqlite3 is still missing"
    stop_default_instances
}

versions() {
    printf 'POSTFIX_VERSION=%s\n' "$(postconf -d -h mail_version 2>/dev/null || echo unknown)"
    printf 'DOVECOT_VERSION=%s\n' "$(dovecot --version 2>/dev/null | awk '{print $1}' || echo unknown)"
}

password_hash() {
    if [ -n "${REF_PASSWORD_HASH:-}" ]; then
        printf '{ARGON2ID}%s\n' "$REF_PASSWORD_HASH"
    else
        doveadm pw -s ARGON2ID -p "$PASSWORD"
    fi
}

do_configure() {
    installed || die "postfix and dovecot are not installed; run: $0 install"
    getent group "$MAIL_USER" >/dev/null || groupadd --system "$MAIL_USER"
    id -u "$MAIL_USER" >/dev/null 2>&1 || useradd --system --gid "$MAIL_USER" --home-dir "$MAIL" --no-create-home \
        --shell /usr/sbin/nologin "$MAIL_USER"
    local uid gid
    uid="$(id -u "$MAIL_USER")"
    gid="$(id -g "$MAIL_USER")"

    mkdir -p "$PF" "$DIR/postfix-queue" "$DIR/postfix-data" "$DC/run" "$DC/state" "$MAIL/$DOMAIN" "$TLS"
    chmod 755 "$DIR" "$DC"
    chown postfix:postfix "$DIR/postfix-data"

    if [ ! -s "$TLS/cert.pem" ] || [ ! -s "$TLS/key.pem" ]; then
        openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=ref.$DOMAIN" \
            -keyout "$TLS/key.pem" -out "$TLS/cert.pem" >/dev/null 2>&1
        chmod 600 "$TLS/key.pem"
    fi

    # --- Postfix: virtual mailbox domain example.test, Maildir delivery by the virtual(8) agent -------
    cat >"$PF/main.cf" <<EOF
# Private Postfix instance for the mailwarden benchmark (written by bench/reference/setup.sh).
compatibility_level = 3.6
queue_directory = $DIR/postfix-queue
data_directory = $DIR/postfix-data
mail_owner = postfix
setgid_group = postdrop
myhostname = ref.$DOMAIN
mydomain = $DOMAIN
myorigin = \$myhostname
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
alias_maps =
alias_database =
local_recipient_maps =
biff = no
append_dot_mydomain = no
smtputf8_enable = no
maillog_file = $DIR/postfix.log
# the mailboxes: one Maildir per user, as Dovecot reads them
virtual_mailbox_domains = $DOMAIN
virtual_mailbox_base = $MAIL
virtual_mailbox_maps = texthash:$PF/vmailbox
virtual_uid_maps = static:$uid
virtual_gid_maps = static:$gid
virtual_mailbox_limit = 0
message_size_limit = 52428800
# relay policy as on any MTA: local delivery for everyone, relay for nobody but the loopback network
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
# the load generator sends from one address: lift the per-client rate limits (as for mynetworks anyway)
smtpd_client_connection_count_limit = 0
smtpd_client_connection_rate_limit = 0
default_process_limit = 250
# STARTTLS with a self-signed certificate
smtpd_tls_cert_file = $TLS/cert.pem
smtpd_tls_key_file = $TLS/key.pem
smtpd_tls_security_level = may
smtp_tls_security_level = none
EOF
    # chroot off: the private queue directory has no copy of /etc for a chrooted daemon.
    cat >"$PF/master.cf" <<EOF
127.0.0.1:$SMTP_PORT inet n - n - - smtpd
pickup     unix  n - n 60   1 pickup
cleanup    unix  n - n -    0 cleanup
qmgr       unix  n - n 300  1 qmgr
tlsmgr     unix  - - n 1000? 1 tlsmgr
rewrite    unix  - - n -    - trivial-rewrite
bounce     unix  - - n -    0 bounce
defer      unix  - - n -    0 bounce
trace      unix  - - n -    0 bounce
verify     unix  - - n -    1 verify
flush      unix  n - n 1000? 0 flush
proxymap   unix  - - n -    - proxymap
proxywrite unix  - - n -    1 proxymap
smtp       unix  - - n -    - smtp
relay      unix  - - n -    - smtp
showq      unix  n - n -    - showq
error      unix  - - n -    - error
retry      unix  - - n -    - error
discard    unix  - - n -    - discard
local      unix  - n n -    - local
virtual    unix  - n n -    - virtual
lmtp       unix  - - n -    - lmtp
anvil      unix  - - n -    1 anvil
scache     unix  - - n -    1 scache
postlog    unix-dgram n - n - 1 postlogd
EOF
    : >"$PF/vmailbox"
    : >"$DC/users"
    local hash u
    hash="$(password_hash)"
    for u in $USERS; do
        printf '%s@%s %s/%s/Maildir/\n' "$u" "$DOMAIN" "$DOMAIN" "$u" >>"$PF/vmailbox"
        printf '%s@%s:%s:%s:%s::%s/%s/%s\n' "$u" "$DOMAIN" "$hash" "$uid" "$gid" "$MAIL" "$DOMAIN" "$u" >>"$DC/users"
        mkdir -p "$MAIL/$DOMAIN/$u/Maildir/"{cur,new,tmp}
    done
    chown -R "$uid:$gid" "$MAIL"
    chmod 640 "$DC/users"
    chown root:dovecot "$DC/users"
    postfix -c "$PF" set-permissions >/dev/null 2>&1 || true
    postfix -c "$PF" check

    # --- Dovecot: IMAP and POP3 on the Maildirs Postfix delivers to ---------------------------------
    # Limits are raised only as far as the idle-session benchmark needs; everything else is the default.
    cat >"$DC/dovecot.conf" <<EOF
# Private Dovecot instance for the mailwarden benchmark (written by bench/reference/setup.sh).
instance_name = mwbench-dovecot
base_dir = $DC/run
state_dir = $DC/state
log_path = $DIR/dovecot.log
protocols = imap pop3
listen = 127.0.0.1
ssl = yes
ssl_cert = <$TLS/cert.pem
ssl_key = <$TLS/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:~/Maildir
mail_uid = $uid
mail_gid = $gid
first_valid_uid = $uid
last_valid_uid = $uid
first_valid_gid = $gid
last_valid_gid = $gid
namespace inbox {
  inbox = yes
  separator = /
  mailbox Archive {
    auto = create
    special_use = \Archive
  }
}
passdb {
  driver = passwd-file
  args = username_format=%u $DC/users
}
userdb {
  driver = passwd-file
  args = username_format=%u $DC/users
}
default_client_limit = 15000
service imap {
  process_limit = 11000
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $IMAP_PORT
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $IMAPS_PORT
    ssl = yes
  }
}
service pop3-login {
  inet_listener pop3 {
    address = 127.0.0.1
    port = $POP3_PORT
  }
  inet_listener pop3s {
    address = 127.0.0.1
    port = $POP3S_PORT
    ssl = yes
  }
}
protocol imap {
  mail_max_userip_connections = 20000
}
protocol pop3 {
  mail_max_userip_connections = 100
}
EOF
    doveconf -c "$DC/dovecot.conf" -n >/dev/null

    {
        printf 'REF_DIR=%s\n' "$DIR"
        printf 'MAIL_DIR=%s\n' "$MAIL"
        printf 'DOMAIN=%s\n' "$DOMAIN"
        printf 'USERS=%s\n' "$USERS"
        printf 'PASSWORD=%s\n' "$PASSWORD"
        printf 'SMTP_PORT=%s\nSINK_PORT=%s\nIMAP_PORT=%s\nIMAPS_PORT=%s\nPOP3_PORT=%s\nPOP3S_PORT=%s\n' \
            "$SMTP_PORT" "$SINK_PORT" "$IMAP_PORT" "$IMAPS_PORT" "$POP3_PORT" "$POP3S_PORT"
        printf 'POSTFIX_MASTER_PID_FILE=%s\n' "$DIR/postfix-queue/pid/master.pid"
        printf 'DOVECOT_MASTER_PID_FILE=%s\n' "$DC/run/master.pid"
        versions
    } >"$DIR/reference.env"
    say "configured in $DIR"
}

postfix_running() { postfix -c "$PF" status >/dev/null 2>&1; }
dovecot_running() { [ -s "$DC/run/master.pid" ] && kill -0 "$(cat "$DC/run/master.pid")" 2>/dev/null; }

wait_port() {
    local port="$1" i
    for i in $(seq 1 100); do
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
        sleep 0.1
    done
    die "nothing listens on 127.0.0.1:$port after 10 s; see $DIR/postfix.log and $DIR/dovecot.log"
}

do_start() {
    [ -f "$PF/main.cf" ] && [ -f "$DC/dovecot.conf" ] || die "not configured; run: $0 configure"
    stop_default_instances
    # Dovecot forks one process per IMAP session; the idle-session benchmark holds thousands.
    ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
    if postfix_running; then postfix -c "$PF" reload >/dev/null 2>&1; else postfix -c "$PF" start >/dev/null 2>&1; fi
    if dovecot_running; then doveadm -c "$DC/dovecot.conf" reload; else dovecot -c "$DC/dovecot.conf"; fi
    wait_port "$SMTP_PORT"
    wait_port "$IMAP_PORT"
    wait_port "$POP3_PORT"
    say "Postfix $(postconf -d -h mail_version) on 127.0.0.1:$SMTP_PORT; Dovecot $(dovecot --version | awk '{print $1}') IMAP 127.0.0.1:$IMAP_PORT (imaps $IMAPS_PORT), POP3 127.0.0.1:$POP3_PORT (pop3s $POP3S_PORT)"
}

do_stop() {
    if [ -f "$PF/main.cf" ] && postfix_running; then
        postfix -c "$PF" stop >/dev/null 2>&1 || true
        say "Postfix stopped"
    fi
    if [ -f "$DC/dovecot.conf" ] && dovecot_running; then
        doveadm -c "$DC/dovecot.conf" stop || true
        say "Dovecot stopped"
    fi
}

do_status() {
    if [ -f "$PF/main.cf" ] && postfix_running; then say "Postfix runs (127.0.0.1:$SMTP_PORT)"; else say "Postfix stopped"; fi
    if [ -f "$DC/dovecot.conf" ] && dovecot_running; then say "Dovecot runs (IMAP 127.0.0.1:$IMAP_PORT, POP3 127.0.0.1:$POP3_PORT)"; else say "Dovecot stopped"; fi
}

case "${1:-all}" in
    all) do_install; do_configure; do_start ;;
    install) do_install ;;
    configure) do_configure ;;
    start) do_start ;;
    stop) do_stop ;;
    status) do_status ;;
    *) die "unknown command '$1'; use all, install, configure, start, stop or status" ;;
esac
