-- IAM: users, groups, roles, managed and inline policies, attachments, tags
-- and OIDC providers.
--
-- Names of users, groups, roles and managed policies are unique per account
-- regardless of case, as in IAM; name_key is the lower-cased name that
-- enforces it. Rows that refer to a user, group or role use its unique ID
-- (AIDA…, AGPA…, AROA…), so renaming an entity touches one row.
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
    group_id TEXT NOT NULL,
    user_id  TEXT NOT NULL,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX iam_group_members_user ON iam_group_members (user_id);

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

-- Inline policies of users, groups and roles (owner_id is the entity's ID).
-- size is the document's length without whitespace, which IAM's quotas count.
CREATE TABLE iam_inline_policies (
    owner_id TEXT NOT NULL,
    name_key TEXT NOT NULL,
    name     TEXT NOT NULL,
    document TEXT NOT NULL,
    size     INTEGER NOT NULL,
    PRIMARY KEY (owner_id, name_key)
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
    version_no INTEGER NOT NULL,
    document   TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (policy_arn, version_id)
);

-- Managed policies attached to users, groups and roles. account_id is the
-- entity's account (an AWS managed policy is attached in many accounts).
CREATE TABLE iam_attachments (
    account_id TEXT NOT NULL,
    owner_type TEXT NOT NULL,
    owner_id   TEXT NOT NULL,
    policy_arn TEXT NOT NULL,
    PRIMARY KEY (owner_id, policy_arn)
);
CREATE INDEX iam_attachments_policy ON iam_attachments (policy_arn, account_id);

-- Tags of IAM resources: resource is the ID of a user or role, or the ARN
-- of a managed policy or OIDC provider.
CREATE TABLE iam_tags (
    resource TEXT NOT NULL,
    key_key  TEXT NOT NULL,
    key      TEXT NOT NULL,
    value    TEXT NOT NULL,
    PRIMARY KEY (resource, key_key)
);

-- OIDC identity providers; client_ids and thumbprints are JSON arrays.
CREATE TABLE iam_oidc_providers (
    arn         TEXT PRIMARY KEY,
    account_id  TEXT NOT NULL REFERENCES accounts (id),
    url         TEXT NOT NULL,
    client_ids  TEXT NOT NULL,
    thumbprints TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX iam_oidc_providers_account ON iam_oidc_providers (account_id);
