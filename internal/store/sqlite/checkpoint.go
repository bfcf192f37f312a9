package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// checkpointer copies committed WAL frames into the database file from a
// connection of its own, on its own goroutine. Without it the writer copies
// them itself: SQLite's auto-checkpoint runs inside the commit that crosses
// wal_autocheckpoint pages, and that commit (with every request waiting on
// it) pays for reading the frames, writing the pages and two fsyncs. With
// it, the writer's auto-checkpoint finds all but the last few frames
// already copied, and only makes the WAL start over. A failing run is
// harmless: the writer's auto-checkpoint still copies everything.
type checkpointer struct {
	db     *sql.DB
	path   string
	every  time.Duration
	logger *slog.Logger
	stop   chan struct{}
	done   chan struct{}

	mu sync.Mutex // held by a run; pool.walTruncate holds it to checkpoint alone
	// log and copied are the WAL's frames and those in the database after
	// the last run: while both stay the same, the WAL holds nothing new.
	log, copied int64
}

func newCheckpointer(db *sql.DB, path string, every time.Duration, logger *slog.Logger) *checkpointer {
	c := &checkpointer{db: db, path: path, every: every, logger: logger, stop: make(chan struct{}), done: make(chan struct{})}
	go c.loop()
	return c
}

// loop runs a passive checkpoint every c.every while the WAL grows, and
// backs off to ten times that while it holds nothing new.
func (c *checkpointer) loop() {
	defer close(c.done)
	wait := c.every
	t := time.NewTimer(wait)
	defer t.Stop()
	failing := false
	for {
		select {
		case <-c.stop:
			return
		case <-t.C:
		}
		moved, err := c.run(context.Background())
		switch { // log the first failure of a series and the recovery, not every run
		case err != nil && !failing:
			c.logger.Warn("background checkpoint failed; the writer's own checkpoints continue",
				slog.String("db", c.path), slog.Any("error", err))
		case err == nil && failing:
			c.logger.Info("background checkpoint works again", slog.String("db", c.path))
		}
		failing = err != nil
		if moved {
			wait = c.every
		} else {
			wait = min(10*c.every, wait*2)
		}
		t.Reset(wait)
	}
}

// run copies what it can of the WAL without waiting for anyone, and reports
// whether the WAL changed since the last run. PASSIVE never blocks the
// writer or the readers; frames a reader still needs stay for a later run.
func (c *checkpointer) run(ctx context.Context) (moved bool, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var busy, log, copied int64
	if err := c.db.QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &log, &copied); err != nil {
		return false, fmt.Errorf("background checkpoint: %w", err)
	}
	moved = log != c.log || copied != c.copied
	c.log, c.copied = log, copied
	return moved, nil
}

func (c *checkpointer) close() error {
	close(c.stop)
	<-c.done
	return c.db.Close()
}
