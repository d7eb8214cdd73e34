-- S3: buckets, objects (current versions), multipart uploads and parts.
-- Object keys and the columns compared with them use {{text_bytes}}, TEXT
-- that sorts by bytes, because S3 lists keys in UTF-8 binary order.
-- Attributes, tags and checksums are JSON documents in TEXT columns: they
-- are read and written whole, never queried.
CREATE TABLE s3_buckets (
    name       TEXT PRIMARY KEY,
    id         TEXT NOT NULL UNIQUE,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    region     TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    policy     TEXT NOT NULL,
    tags       TEXT NOT NULL
);
CREATE INDEX s3_buckets_account ON s3_buckets (account_id, name);

CREATE TABLE s3_objects (
    bucket_id     TEXT NOT NULL,
    key           {{text_bytes}} NOT NULL,
    id            TEXT NOT NULL UNIQUE,
    size          BIGINT NOT NULL,
    etag          TEXT NOT NULL,
    last_modified BIGINT NOT NULL,
    parts_count   INTEGER NOT NULL,
    attrs         TEXT NOT NULL,
    checksum      TEXT NOT NULL,
    PRIMARY KEY (bucket_id, key)
);

CREATE TABLE s3_uploads (
    id            TEXT PRIMARY KEY,
    bucket_id     TEXT NOT NULL,
    key           {{text_bytes}} NOT NULL,
    initiated     BIGINT NOT NULL,
    initiator_arn TEXT NOT NULL,
    initiator_id  TEXT NOT NULL,
    attrs         TEXT NOT NULL,
    checksum      TEXT NOT NULL
);
CREATE INDEX s3_uploads_key ON s3_uploads (bucket_id, key, id);

-- Parts of uploads in progress and of completed multipart objects: owner_id
-- is the upload ID, which is also the completed object's ID.
CREATE TABLE s3_parts (
    owner_id      TEXT NOT NULL,
    part_number   INTEGER NOT NULL,
    id            TEXT NOT NULL UNIQUE,
    size          BIGINT NOT NULL,
    etag          TEXT NOT NULL,
    checksum      TEXT NOT NULL,
    last_modified BIGINT NOT NULL,
    PRIMARY KEY (owner_id, part_number)
);
