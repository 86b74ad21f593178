-- Outbound delivery: claims with leases, attempt details, delivery status notices, route options.

-- A notice (DSN) this server generated: when it fails, the postmaster hears of it, never its null sender.
ALTER TABLE queue_message ADD COLUMN notice BOOLEAN NOT NULL DEFAULT FALSE;

-- A worker's claim on a recipient: nobody else delivers it until the lease expires (database clock).
ALTER TABLE queue_recipient ADD COLUMN lease_holder TEXT;
ALTER TABLE queue_recipient ADD COLUMN lease_expires BIGINT NOT NULL DEFAULT 0;
ALTER TABLE queue_recipient ADD COLUMN last_attempt BIGINT;
ALTER TABLE queue_recipient ADD COLUMN remote_mta TEXT;
-- The notice due for this recipient (DELAYED, FAILED, RELAYED) until it has been sent.
ALTER TABLE queue_recipient ADD COLUMN notice_due TEXT;
ALTER TABLE queue_recipient ADD COLUMN delay_notified BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX queue_recipient_notice ON queue_recipient (notice_due) WHERE notice_due IS NOT NULL;

ALTER TABLE route ADD COLUMN require_verified_tls BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE route ADD COLUMN auth_user TEXT;
ALTER TABLE route ADD COLUMN auth_password TEXT;
ALTER TABLE smarthost ADD COLUMN require_verified_tls BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE smarthost ADD COLUMN auth_user TEXT;
ALTER TABLE smarthost ADD COLUMN auth_password TEXT;
