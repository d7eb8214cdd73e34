-- Accounts, the organization, long-term access keys, session-token keys and
-- the change feed.
CREATE TABLE accounts (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    email         TEXT NOT NULL,
    status        TEXT NOT NULL,
    joined_method TEXT NOT NULL,
    created_at    BIGINT NOT NULL
);

CREATE TABLE organization (
    id                    TEXT PRIMARY KEY,
    management_account_id TEXT NOT NULL REFERENCES accounts (id),
    created_at            BIGINT NOT NULL
);

CREATE TABLE create_account_status (
    id             TEXT PRIMARY KEY,
    account_name   TEXT NOT NULL,
    state          TEXT NOT NULL,
    account_id     TEXT NOT NULL,
    failure_reason TEXT NOT NULL,
    requested_at   BIGINT NOT NULL,
    completed_at   BIGINT NOT NULL
);

CREATE TABLE access_keys (
    id         TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    user_name  TEXT NOT NULL,
    secret     TEXT NOT NULL,
    status     TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX access_keys_owner ON access_keys (account_id, user_name);

CREATE TABLE session_keys (
    id         BIGINT PRIMARY KEY,
    secret     TEXT NOT NULL,
    is_current INTEGER NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE changes (
    seq   {{serial}},
    topic TEXT NOT NULL,
    key   TEXT NOT NULL,
    at    BIGINT NOT NULL
);
