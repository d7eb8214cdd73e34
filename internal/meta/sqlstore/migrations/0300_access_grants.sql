-- S3 Access Grants: instances (one per account and region), their resource
-- policies, locations, grants and tags.
--
-- The counters on instances and locations carry the quotas and the
-- "not empty" rules: creating a location or grant updates its parent's row,
-- which also locks it against a concurrent delete on PostgreSQL.
CREATE TABLE ag_instances (
    account_id              TEXT NOT NULL REFERENCES accounts (id),
    region                  TEXT NOT NULL,
    identity_center_arn     TEXT NOT NULL,
    identity_center_app_arn TEXT NOT NULL,
    location_count          BIGINT NOT NULL,
    grant_count             BIGINT NOT NULL,
    created_at              BIGINT NOT NULL,
    PRIMARY KEY (account_id, region)
);

CREATE TABLE ag_policies (
    account_id   TEXT NOT NULL,
    region       TEXT NOT NULL,
    policy       TEXT NOT NULL,
    organization TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (account_id, region)
);

-- scope_key is the SHA-256 of the scope without one trailing slash: the
-- identity of a location (scopes may be 2,000 characters, too long for a
-- PostgreSQL index entry in the worst case).
CREATE TABLE ag_locations (
    account_id   TEXT NOT NULL,
    region       TEXT NOT NULL,
    id           TEXT NOT NULL,
    scope        TEXT NOT NULL,
    scope_key    TEXT NOT NULL,
    iam_role_arn TEXT NOT NULL,
    grant_count  BIGINT NOT NULL,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (account_id, region, id)
);
CREATE UNIQUE INDEX ag_locations_scope ON ag_locations (account_id, region, scope_key);
CREATE INDEX ag_locations_order ON ag_locations (account_id, region, created_at, id);

-- dedup_key is the SHA-256 of what makes two grants the same grant.
CREATE TABLE ag_grants (
    account_id      TEXT NOT NULL,
    region          TEXT NOT NULL,
    id              TEXT NOT NULL,
    location_id     TEXT NOT NULL,
    grantee_type    TEXT NOT NULL,
    grantee_id      TEXT NOT NULL,
    permission      TEXT NOT NULL,
    sub_prefix      TEXT NOT NULL,
    prefix_type     TEXT NOT NULL,
    grant_scope     TEXT NOT NULL,
    application_arn TEXT NOT NULL,
    dedup_key       TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    PRIMARY KEY (account_id, region, id)
);
CREATE UNIQUE INDEX ag_grants_dedup ON ag_grants (account_id, region, dedup_key);
CREATE INDEX ag_grants_order ON ag_grants (account_id, region, created_at, id);

-- Tags of instances (resource_id ''), locations and grants.
CREATE TABLE ag_tags (
    account_id    TEXT NOT NULL,
    region        TEXT NOT NULL,
    resource_kind TEXT NOT NULL,
    resource_id   TEXT NOT NULL,
    key           TEXT NOT NULL,
    value         TEXT NOT NULL,
    PRIMARY KEY (account_id, region, resource_kind, resource_id, key)
);
