-- What IMAP needs beyond version 1 (PostgreSQL). Keep in step with db/sqlite/V3__imap_mailboxes.sql.

-- The MIME structure of a body (offsets, BODYSTRUCTURE fields, envelopes), computed once when the
-- body is stored; several messages share it when they share the body (COPY, one delivery to several
-- accounts). Encoded by org.mailwarden.store.mime.StructureCodec.
CREATE TABLE blob_structure (
    blob_id BIGINT PRIMARY KEY REFERENCES blob (id) ON DELETE CASCADE,
    data    BYTEA NOT NULL
);

-- UIDs removed from a mailbox and the MODSEQ of their removal, so that other sessions learn of
-- expunges cheaply and QRESYNC clients get VANISHED (RFC 7162). UIDs are never reused in a mailbox.
CREATE TABLE expunged (
    mailbox_id BIGINT NOT NULL REFERENCES mailbox (id) ON DELETE CASCADE,
    uid        BIGINT NOT NULL,
    modseq     BIGINT NOT NULL,
    PRIMARY KEY (mailbox_id, uid)
);
CREATE INDEX expunged_modseq ON expunged (mailbox_id, modseq);

-- Changes since a MODSEQ (flag updates, new messages) without reading the whole mailbox.
CREATE INDEX message_modseq ON message (mailbox_id, modseq);
