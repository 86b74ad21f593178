-- Bodies up to the store's inline limit live inside the database, as on PostgreSQL: they are written in
-- the group commit's transaction, so one WAL flush makes body and rows durable together. Larger bodies
-- stay in blob segment files (blob.segment, blob.seg_offset); an inline body has both columns null.
-- Deleting the blob row (ON DELETE CASCADE, foreign keys are enforced) reclaims its chunks.
CREATE TABLE blob_chunk (
    blob_id INTEGER NOT NULL REFERENCES blob (id) ON DELETE CASCADE,
    seq     INTEGER NOT NULL,
    data    BLOB NOT NULL,
    PRIMARY KEY (blob_id, seq)
);
