-- What IMAP needs beyond version 1 (SQLite). Keep in step with db/postgresql/V3__imap_mailboxes.sql.

-- The MIME structure of a body (offsets, BODYSTRUCTURE fields, envelopes), computed once when the
-- body is stored; several messages share it when they share the body (COPY, one delivery to several
-- accounts). Encoded by org.mailwarden.store.mime.StructureCodec.
CREATE TABLE blob_structure (
    blob_id INTEGER PRIMARY KEY REFERENCES blob (id) ON DELETE CASCADE,
    data    BLOB NOT NULL
);

-- UIDs removed from a mailbox and the MODSEQ of their removal, so that other sessions learn of
-- expunges cheaply and QRESYNC clients get VANISHED (RFC 7162). UIDs are never reused in a mailbox.
CREATE TABLE expunged (
    mailbox_id INTEGER NOT NULL REFERENCES mailbox (id) ON DELETE CASCADE,
    uid        INTEGER NOT NULL,
    modseq     INTEGER NOT NULL,
    PRIMARY KEY (mailbox_id, uid)
);
CREATE INDEX expunged_modseq ON expunged (mailbox_id, modseq);

-- Changes since a MODSEQ (flag updates, new messages) without reading the whole mailbox.
CREATE INDEX message_modseq ON message (mailbox_id, modseq);
