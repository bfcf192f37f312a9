-- Journeys and messaging. Definitions, config bodies, instance state and
-- send payloads are JSON stored as text (not jsonb, which would reorder
-- them), byte for byte. Ids and keys use the "C" collation so that lists
-- and cursors follow byte order, as in SQLite.
--
-- Control plane (kept by Reset): journeys with their immutable published
-- versions, and the config objects of the messaging control plane.
CREATE TABLE journeys (
    id           text COLLATE "C" PRIMARY KEY,
    name         text        NOT NULL,
    status       text        NOT NULL,
    draft        text        NOT NULL, -- '' when absent
    live_version integer     NOT NULL, -- also the number of versions: publishing is the only way to add one
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL
);

CREATE TABLE journey_versions (
    journey_id   text COLLATE "C" NOT NULL REFERENCES journeys (id),
    version      integer          NOT NULL,
    definition   text             NOT NULL,
    published_at timestamptz      NOT NULL,
    PRIMARY KEY (journey_id, version)
);

CREATE TABLE config_objects (
    kind       text COLLATE "C" NOT NULL,
    id         text COLLATE "C" NOT NULL,
    body       text             NOT NULL,
    updated_at timestamptz      NOT NULL,
    PRIMARY KEY (kind, id)
);

-- Derived state (dropped by Reset): one row per customer run, upserted by
-- Apply in the same transaction as the checkpoint.
CREATE TABLE journey_instances (
    id          text COLLATE "C" PRIMARY KEY,
    journey_id  text COLLATE "C" NOT NULL,
    version     integer          NOT NULL,
    profile_id  text COLLATE "C" NOT NULL,
    key         text             NOT NULL,
    node        text COLLATE "C" NOT NULL,
    status      text COLLATE "C" NOT NULL,
    entered_at  timestamptz      NOT NULL,
    updated_at  timestamptz      NOT NULL,
    exited_at   timestamptz,
    exit_reason text COLLATE "C" NOT NULL,
    state       text -- NULL when absent
);

-- ProfileInstances, and merges and erasure by profile.
CREATE INDEX journey_instances_profile ON journey_instances (profile_id);
-- ListInstances, CountInstances and the per-node and per-exit counts.
CREATE INDEX journey_instances_journey ON journey_instances (journey_id, status, node, id);

-- The send outbox and delivery ledger (kept by Reset: it records what was
-- sent in the real world). Queued by Apply, settled by the dispatcher.
CREATE TABLE sends (
    key         text COLLATE "C" PRIMARY KEY,
    journey_id  text COLLATE "C" NOT NULL, -- '' for transactional API sends
    version     integer          NOT NULL,
    instance_id text COLLATE "C" NOT NULL,
    node_id     text COLLATE "C" NOT NULL,
    profile_id  text COLLATE "C" NOT NULL,
    channel     text COLLATE "C" NOT NULL,
    template_id text             NOT NULL,
    status      text COLLATE "C" NOT NULL,
    reason      text COLLATE "C" NOT NULL,
    attempts    integer          NOT NULL,
    provider_id text             NOT NULL,
    address     text             NOT NULL, -- Send.To
    due_at      timestamptz      NOT NULL,
    created_at  timestamptz      NOT NULL,
    updated_at  timestamptz      NOT NULL,
    sent_at     timestamptz,
    payload     text -- NULL when absent
);

-- DueSends and NextSendDue (status = 'queued'), SendsByStatus; key breaks
-- ties of due_at in index order.
CREATE INDEX sends_due ON sends (status, due_at, key);
-- ProfileSends (frequency caps), and merges and erasure by profile.
CREATE INDEX sends_profile ON sends (profile_id, created_at);
-- JourneySendCounts.
CREATE INDEX sends_journey ON sends (journey_id, node_id);
-- SendByProviderID (delivery feedback webhooks).
CREATE INDEX sends_provider ON sends (channel, provider_id);

-- Delivery feedback facts, idempotent on (send, at, type).
CREATE TABLE send_engagements (
    send_key text COLLATE "C" NOT NULL REFERENCES sends (key) ON DELETE CASCADE,
    at       timestamptz      NOT NULL,
    type     text COLLATE "C" NOT NULL,
    data     text             NOT NULL,
    PRIMARY KEY (send_key, at, type)
);

CREATE TABLE subscriptions (
    profile_id text COLLATE "C" NOT NULL,
    group_id   text COLLATE "C" NOT NULL,
    state      text             NOT NULL,
    updated_at timestamptz      NOT NULL,
    source     text             NOT NULL,
    PRIMARY KEY (profile_id, group_id)
);

CREATE TABLE suppressions (
    channel    text COLLATE "C" NOT NULL,
    address    text COLLATE "C" NOT NULL,
    reason     text             NOT NULL,
    created_at timestamptz      NOT NULL,
    PRIMARY KEY (channel, address)
);
