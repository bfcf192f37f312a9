-- Journeys and messaging. Definitions, config bodies, instance state and
-- send payloads are JSON stored as text, byte for byte.
--
-- Control plane (kept by Reset): journeys with their immutable published
-- versions, and the config objects of the messaging control plane.
CREATE TABLE journeys (
    id           TEXT PRIMARY KEY,
    name         TEXT    NOT NULL,
    status       TEXT    NOT NULL,
    draft        TEXT    NOT NULL, -- '' when absent
    live_version INTEGER NOT NULL, -- also the number of versions: publishing is the only way to add one
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE journey_versions (
    journey_id   TEXT    NOT NULL REFERENCES journeys (id),
    version      INTEGER NOT NULL,
    definition   TEXT    NOT NULL,
    published_at INTEGER NOT NULL,
    PRIMARY KEY (journey_id, version)
) WITHOUT ROWID;

CREATE TABLE config_objects (
    kind       TEXT    NOT NULL,
    id         TEXT    NOT NULL,
    body       TEXT    NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (kind, id)
) WITHOUT ROWID;

-- Derived state (dropped by Reset): one row per customer run, upserted by
-- Apply in the same transaction as the checkpoint.
CREATE TABLE journey_instances (
    id          TEXT PRIMARY KEY,
    journey_id  TEXT    NOT NULL,
    version     INTEGER NOT NULL,
    profile_id  TEXT    NOT NULL,
    key         TEXT    NOT NULL,
    node        TEXT    NOT NULL,
    status      TEXT    NOT NULL,
    entered_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    exited_at   INTEGER,
    exit_reason TEXT    NOT NULL,
    state       TEXT -- NULL when absent
) WITHOUT ROWID;

-- ProfileInstances, and merges and erasure by profile.
CREATE INDEX journey_instances_profile ON journey_instances (profile_id);
-- ListInstances, CountInstances and the per-node and per-exit counts; the
-- primary key id follows the indexed columns.
CREATE INDEX journey_instances_journey ON journey_instances (journey_id, status, node);

-- The send outbox and delivery ledger (kept by Reset: it records what was
-- sent in the real world). Queued by Apply, settled by the dispatcher.
CREATE TABLE sends (
    key         TEXT PRIMARY KEY,
    journey_id  TEXT    NOT NULL, -- '' for transactional API sends
    version     INTEGER NOT NULL,
    instance_id TEXT    NOT NULL,
    node_id     TEXT    NOT NULL,
    profile_id  TEXT    NOT NULL,
    channel     TEXT    NOT NULL,
    template_id TEXT    NOT NULL,
    status      TEXT    NOT NULL,
    reason      TEXT    NOT NULL,
    attempts    INTEGER NOT NULL,
    provider_id TEXT    NOT NULL,
    address     TEXT    NOT NULL, -- Send.To
    due_at      INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    sent_at     INTEGER,
    payload     TEXT -- NULL when absent
) WITHOUT ROWID;

-- DueSends and NextSendDue (status = 'queued'), SendsByStatus; the primary
-- key follows due_at, so equal due times come in key order.
CREATE INDEX sends_due ON sends (status, due_at);
-- ProfileSends (frequency caps), and merges and erasure by profile.
CREATE INDEX sends_profile ON sends (profile_id, created_at);
-- JourneySendCounts.
CREATE INDEX sends_journey ON sends (journey_id, node_id);
-- SendByProviderID (delivery feedback webhooks).
CREATE INDEX sends_provider ON sends (channel, provider_id);

-- Delivery feedback facts, idempotent on (send, at, type).
CREATE TABLE send_engagements (
    send_key TEXT    NOT NULL REFERENCES sends (key) ON DELETE CASCADE,
    at       INTEGER NOT NULL,
    type     TEXT    NOT NULL,
    data     TEXT    NOT NULL,
    PRIMARY KEY (send_key, at, type)
) WITHOUT ROWID;

CREATE TABLE subscriptions (
    profile_id TEXT    NOT NULL,
    group_id   TEXT    NOT NULL,
    state      TEXT    NOT NULL,
    updated_at INTEGER NOT NULL,
    source     TEXT    NOT NULL,
    PRIMARY KEY (profile_id, group_id)
) WITHOUT ROWID;

CREATE TABLE suppressions (
    channel    TEXT    NOT NULL,
    address    TEXT    NOT NULL,
    reason     TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (channel, address)
) WITHOUT ROWID;
