-- Computed trait definitions: one row per trait name; a deleted one keeps
-- its row (deleted_at set) so a deleted built-in is not re-created.
CREATE TABLE computed_traits (
    name       TEXT    NOT NULL PRIMARY KEY,
    version    INTEGER NOT NULL,
    definition TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    deleted_at INTEGER
) WITHOUT ROWID;
