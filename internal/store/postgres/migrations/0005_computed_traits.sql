-- Computed trait definitions: one row per trait name; a deleted one keeps
-- its row (deleted_at set) so a deleted built-in is not re-created.
CREATE TABLE computed_traits (
    name       text        NOT NULL PRIMARY KEY,
    version    integer     NOT NULL,
    definition text        NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    deleted_at timestamptz
);
