-- mailwarden schema, version 1 (SQLite). Keep in step with db/postgresql/V1__init.sql: same tables,
-- same columns, only the types differ. Times are epoch milliseconds, booleans 0/1, case-insensitive
-- lookups go through *_key columns holding the lower-cased form.

CREATE TABLE counter (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
-- 'changes': bumped by every administrative write; 'uidvalidity': the last UIDVALIDITY handed out.
INSERT INTO counter (name, value) VALUES ('changes', 0);
INSERT INTO counter (name, value) VALUES ('uidvalidity', CAST(strftime('%s', 'now') AS INTEGER));

CREATE TABLE domain (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT NOT NULL UNIQUE,
    short_name TEXT,
    short_key  TEXT UNIQUE
);

CREATE TABLE account (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    domain_id     INTEGER NOT NULL REFERENCES domain (id),
    local_part    TEXT NOT NULL,
    local_key     TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    scram_sha256  TEXT,
    enabled       BOOLEAN NOT NULL,
    UNIQUE (domain_id, local_key)
);
CREATE INDEX account_local_key ON account (local_key);

CREATE TABLE alias (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    domain_id  INTEGER NOT NULL REFERENCES domain (id),
    local_part TEXT NOT NULL,
    local_key  TEXT NOT NULL,
    account_id INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    UNIQUE (domain_id, local_key, account_id)
);
CREATE INDEX alias_account ON alias (account_id);

CREATE TABLE relay_config (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    auth_may_relay BOOLEAN NOT NULL,
    mode           TEXT NOT NULL
);
INSERT INTO relay_config (id, auth_may_relay, mode) VALUES (1, 1, 'restricted');

CREATE TABLE relay_range (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    list_kind TEXT NOT NULL,
    ip_range  TEXT NOT NULL,
    UNIQUE (list_kind, ip_range)
);

CREATE TABLE route (
    domain TEXT PRIMARY KEY,
    host   TEXT NOT NULL,
    port   INTEGER NOT NULL
);

CREATE TABLE smarthost (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    host TEXT NOT NULL,
    port INTEGER NOT NULL
);

CREATE TABLE setting (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- A message body. SQLite keeps the bytes in blob segment files (segment, seg_offset); PostgreSQL keeps
-- them in blob_chunk and leaves those two columns null.
CREATE TABLE blob (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    length     INTEGER NOT NULL,
    segment    INTEGER,
    seg_offset INTEGER
);

CREATE TABLE mailbox (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id     INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    uid_validity   INTEGER NOT NULL,
    uid_next       INTEGER NOT NULL,
    highest_modseq INTEGER NOT NULL,
    special_use    TEXT,
    subscribed     BOOLEAN NOT NULL,
    UNIQUE (account_id, name)
);

CREATE TABLE message (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    mailbox_id    INTEGER NOT NULL REFERENCES mailbox (id) ON DELETE CASCADE,
    uid           INTEGER NOT NULL,
    modseq        INTEGER NOT NULL,
    flags         TEXT NOT NULL,
    internal_date INTEGER NOT NULL,
    size          INTEGER NOT NULL,
    blob_id       INTEGER NOT NULL REFERENCES blob (id),
    UNIQUE (mailbox_id, uid)
);
CREATE INDEX message_blob ON message (blob_id);

CREATE TABLE queue_message (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    queue_id       TEXT NOT NULL UNIQUE,
    sender         TEXT NOT NULL,
    created        INTEGER NOT NULL,
    size           INTEGER NOT NULL,
    blob_id        INTEGER NOT NULL REFERENCES blob (id),
    notify_allowed BOOLEAN NOT NULL,
    envid          TEXT,
    ret            TEXT
);
CREATE INDEX queue_message_blob ON queue_message (blob_id);

CREATE TABLE queue_recipient (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id   INTEGER NOT NULL REFERENCES queue_message (id) ON DELETE CASCADE,
    address      TEXT NOT NULL,
    orcpt        TEXT,
    dsn_notify   TEXT,
    state        TEXT NOT NULL,
    attempts     INTEGER NOT NULL,
    next_attempt INTEGER NOT NULL,
    last_reply   TEXT
);
CREATE INDEX queue_recipient_message ON queue_recipient (message_id);
CREATE INDEX queue_recipient_due ON queue_recipient (state, next_attempt);

CREATE TABLE lease (
    name    TEXT PRIMARY KEY,
    holder  TEXT NOT NULL,
    expires INTEGER NOT NULL
);
