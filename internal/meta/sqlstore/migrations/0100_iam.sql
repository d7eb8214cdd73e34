-- IAM: users, groups, roles, policies, attachments, OIDC providers.
-- Names are unique per account regardless of case, as in IAM; name_key is
-- the lower-cased name that enforces it.
CREATE TABLE iam_users (
    account_id           TEXT NOT NULL REFERENCES accounts (id),
    name_key             TEXT NOT NULL,
    name                 TEXT NOT NULL,
    id                   TEXT NOT NULL UNIQUE,
    path                 TEXT NOT NULL,
    permissions_boundary TEXT NOT NULL,
    created_at           BIGINT NOT NULL,
    PRIMARY KEY (account_id, name_key)
);

CREATE TABLE iam_groups (
    account_id TEXT NOT NULL REFERENCES accounts (id),
    name_key   TEXT NOT NULL,
    name       TEXT NOT NULL,
    id         TEXT NOT NULL UNIQUE,
    path       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (account_id, name_key)
);

CREATE TABLE iam_group_members (
    account_id TEXT NOT NULL,
    group_key  TEXT NOT NULL,
    user_key   TEXT NOT NULL,
    PRIMARY KEY (account_id, group_key, user_key)
);
CREATE INDEX iam_group_members_user ON iam_group_members (account_id, user_key);

CREATE TABLE iam_roles (
    account_id           TEXT NOT NULL REFERENCES accounts (id),
    name_key             TEXT NOT NULL,
    name                 TEXT NOT NULL,
    id                   TEXT NOT NULL UNIQUE,
    path                 TEXT NOT NULL,
    trust_policy         TEXT NOT NULL,
    description          TEXT NOT NULL,
    max_session_duration INTEGER NOT NULL,
    permissions_boundary TEXT NOT NULL,
    created_at           BIGINT NOT NULL,
    PRIMARY KEY (account_id, name_key)
);

-- Inline policies of users (owner_type 'user'), groups ('group') and roles ('role').
CREATE TABLE iam_inline_policies (
    account_id  TEXT NOT NULL,
    owner_type  TEXT NOT NULL,
    owner_key   TEXT NOT NULL,
    name_key    TEXT NOT NULL,
    name        TEXT NOT NULL,
    document    TEXT NOT NULL,
    PRIMARY KEY (account_id, owner_type, owner_key, name_key)
);

-- Managed policies; AWS managed ones have account_id 'aws'.
CREATE TABLE iam_policies (
    arn             TEXT PRIMARY KEY,
    account_id      TEXT NOT NULL,
    name_key        TEXT NOT NULL,
    name            TEXT NOT NULL,
    id              TEXT NOT NULL UNIQUE,
    path            TEXT NOT NULL,
    description     TEXT NOT NULL,
    default_version TEXT NOT NULL,
    next_version    INTEGER NOT NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE UNIQUE INDEX iam_policies_name ON iam_policies (account_id, name_key);

CREATE TABLE iam_policy_versions (
    policy_arn TEXT NOT NULL REFERENCES iam_policies (arn) ON DELETE CASCADE,
    version_id TEXT NOT NULL,
    document   TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (policy_arn, version_id)
);

CREATE TABLE iam_attachments (
    account_id TEXT NOT NULL,
    owner_type TEXT NOT NULL,
    owner_key  TEXT NOT NULL,
    policy_arn TEXT NOT NULL,
    PRIMARY KEY (account_id, owner_type, owner_key, policy_arn)
);
CREATE INDEX iam_attachments_policy ON iam_attachments (policy_arn);

-- Tags on IAM resources, keyed by resource ARN.
CREATE TABLE iam_tags (
    resource_arn TEXT NOT NULL,
    key_key      TEXT NOT NULL,
    key          TEXT NOT NULL,
    value        TEXT NOT NULL,
    PRIMARY KEY (resource_arn, key_key)
);

CREATE TABLE iam_oidc_providers (
    arn          TEXT PRIMARY KEY,
    account_id   TEXT NOT NULL REFERENCES accounts (id),
    url          TEXT NOT NULL,
    client_ids   TEXT NOT NULL,
    thumbprints  TEXT NOT NULL,
    created_at   BIGINT NOT NULL
);
