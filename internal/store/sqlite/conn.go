package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// Connection pragmas, in the order that matters: busy_timeout first (so the
// rest can wait for a lock), then WAL, then synchronous (its meaning depends
// on the journal mode), then foreign keys. secure_delete overwrites deleted
// content so erased rows do not linger in the file.
const (
	syncFull   = "FULL"
	syncNormal = "NORMAL"
)

// Page sizes: the log is written in large sequential batches, where 16 KiB
// pages mean 4x fewer WAL frames (and write calls) per commit; the state
// store serves random point reads, where the default 4 KiB pages fit best.
const (
	logPageSize   = 16384
	statePageSize = 4096
)

// stateCheckpointPages is the state writer's WAL auto-checkpoint (SQLite's
// default is 1000 pages, 4 MiB here). Every processor batch rewrites the
// same hot pages (the timelines, traits and memberships of active
// profiles); a longer WAL copies each into the database once per checkpoint
// instead of once per 4 MiB written (streaming segments: +5-7 %).
const stateCheckpointPages = 10_000

// stateWriterCacheKiB is the state writer's page cache. SQLite's default
// (2 MiB, 512 pages of 4 KiB) is smaller than what one processor batch
// dirties when it creates customers (profiles, identities, traits, timeline
// rows and their indexes), so the transaction spilled pages into the WAL
// before its commit and wrote some of them twice: a 200k-event drain over
// 100k new customers spent 7.5 % of its CPU in pagerStress. With 16 MiB,
// the size of each reader's cache, it drained in 13.2-13.3 s against
// 13.4-14.4 s (BENCHMARKS.md, "Processing alone").
const stateWriterCacheKiB = 16 << 10

// logCheckpointEvery is the log's background checkpoint interval while
// events arrive. Ingest appends ~70 MB of WAL per second at 100k events/s;
// copying it into log.db from another connection, in steps of this size,
// keeps that work (and its fsyncs) out of the group commits that requests
// wait for (see checkpointer).
const logCheckpointEvery = 20 * time.Millisecond

// stateCheckpointEvery is the state store's background checkpoint interval:
// longer than the log's, since the processor rewrites the same hot pages
// and each run copies a page once however often it changed. It takes the
// copying out of the processor's commits: streaming segments +15-19 %,
// journey timers and scheduled entry +2-10 % (BENCHMARKS.md).
const stateCheckpointEvery = 100 * time.Millisecond

// writerPragmas configures the writer. page_size only takes effect when
// the file is created, so it goes before journal_mode.
// checkpointPages 0 keeps SQLite's default, and so does cacheKiB.
func writerPragmas(synchronous string, pageSize, checkpointPages, cacheKiB int) []string {
	ps := []string{
		"PRAGMA busy_timeout = 5000",
		"PRAGMA page_size = " + strconv.Itoa(pageSize),
		"PRAGMA journal_mode = WAL",
		"PRAGMA synchronous = " + synchronous,
		"PRAGMA foreign_keys = ON",
		"PRAGMA secure_delete = ON",
		"PRAGMA temp_store = MEMORY",
	}
	if checkpointPages > 0 {
		ps = append(ps, "PRAGMA wal_autocheckpoint = "+strconv.Itoa(checkpointPages))
	}
	if cacheKiB > 0 {
		ps = append(ps, "PRAGMA cache_size = -"+strconv.Itoa(cacheKiB))
	}
	return ps
}

func readerPragmas() []string {
	return []string{
		"PRAGMA busy_timeout = 5000",
		"PRAGMA journal_mode = WAL",
		"PRAGMA synchronous = NORMAL",
		"PRAGMA foreign_keys = ON",
		"PRAGMA query_only = ON",
		"PRAGMA cache_size = -16000", // 16 MiB of page cache per reader
	}
}

// pool is one database file: a single writer connection, a reader pool
// and, when configured, a background checkpointer.
type pool struct {
	w    *sql.DB
	r    *readDB
	ckpt *checkpointer // nil without one
}

// poolConfig is how a database file is opened.
type poolConfig struct {
	synchronous     string // syncFull or syncNormal
	pageSize        int
	checkpointPages int           // the writer's wal_autocheckpoint; 0 keeps SQLite's default
	cacheKiB        int           // the writer's page cache; 0 keeps SQLite's default (2 MiB)
	checkpointEvery time.Duration // background checkpoint interval; 0 for none
	logger          *slog.Logger  // for the background checkpointer; nil discards
}

// openPool opens path with one writer connection and a pool of query-only
// readers. The writer is opened (and the file created) first.
func openPool(ctx context.Context, path string, cfg poolConfig) (*pool, error) {
	if path == "" {
		return nil, fmt.Errorf("open sqlite: empty path; pass the database file, e.g. data/log.db")
	}
	drv := sqliteDriver()
	w := openFixed(drv, path, writerPragmas(cfg.synchronous, cfg.pageSize, cfg.checkpointPages, cfg.cacheKiB), 1)
	var mode string
	if err := w.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		_ = w.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	if !strings.EqualFold(mode, "wal") {
		_ = w.Close()
		return nil, fmt.Errorf("open sqlite %s: journal mode is %q, want wal; the file system must support shared memory (not a network share)", path, mode)
	}
	r := openFixed(drv, path, readerPragmas(), max(4, runtime.GOMAXPROCS(0)))
	if err := r.PingContext(ctx); err != nil {
		_ = w.Close()
		_ = r.Close()
		return nil, fmt.Errorf("open sqlite readers %s: %w", path, err)
	}
	p := &pool{w: w, r: newReadDB(r)}
	if cfg.checkpointEvery > 0 {
		// Its own connection, synchronous like the writer: a checkpoint's
		// fsyncs follow the setting of the connection that runs it.
		c := openFixed(drv, path, []string{
			"PRAGMA busy_timeout = 5000", "PRAGMA journal_mode = WAL", "PRAGMA synchronous = " + cfg.synchronous}, 1)
		if err := c.PingContext(ctx); err != nil {
			_ = c.Close()
			_ = p.close()
			return nil, fmt.Errorf("open sqlite checkpointer %s: %w", path, err)
		}
		logger := cfg.logger
		if logger == nil {
			logger = slog.New(slog.DiscardHandler)
		}
		p.ckpt = newCheckpointer(c, path, cfg.checkpointEvery, logger)
	}
	return p, nil
}

// openFixed opens a pool of n connections configured by pragmas that are
// kept open for the life of the pool (the writer's single connection must
// never be replaced: see rawInserter).
func openFixed(drv driver.Driver, path string, pragmas []string, n int) *sql.DB {
	db := sql.OpenDB(&pragmaConnector{drv: drv, dsn: path, pragmas: pragmas})
	db.SetMaxOpenConns(n)
	db.SetMaxIdleConns(n)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	return db
}

func (p *pool) close() error {
	var errC error
	if p.ckpt != nil { // first, so the writer's close checkpoints alone
		errC = p.ckpt.close()
	}
	// Let SQLite refresh its planner statistics; harmless if it has nothing to do.
	_, _ = p.w.Exec("PRAGMA optimize")
	errR := p.r.Close()
	errW := p.w.Close()
	return errors.Join(errW, errR, errC)
}

// pragmaConnector opens driver connections and runs the pragmas on each one,
// so every pooled connection, including reconnects, is configured alike.
type pragmaConnector struct {
	drv     driver.Driver
	dsn     string
	pragmas []string
}

func (c *pragmaConnector) Connect(ctx context.Context) (driver.Conn, error) {
	var (
		conn driver.Conn
		err  error
	)
	if dc, ok := c.drv.(driver.DriverContext); ok {
		var ctr driver.Connector
		if ctr, err = dc.OpenConnector(c.dsn); err != nil {
			return nil, fmt.Errorf("open %s: %w", c.dsn, err)
		}
		conn, err = ctr.Connect(ctx)
	} else {
		conn, err = c.drv.Open(c.dsn)
	}
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", c.dsn, err)
	}
	for _, p := range c.pragmas {
		if err := execConn(ctx, conn, p); err != nil {
			_ = conn.Close()
			return nil, fmt.Errorf("%s on %s: %w", p, c.dsn, err)
		}
	}
	return conn, nil
}

func (c *pragmaConnector) Driver() driver.Driver { return c.drv }

func execConn(ctx context.Context, conn driver.Conn, query string) error {
	if ex, ok := conn.(driver.ExecerContext); ok {
		_, err := ex.ExecContext(ctx, query, nil)
		return err
	}
	st, err := conn.Prepare(query)
	if err != nil {
		return err
	}
	defer st.Close()
	if sx, ok := st.(driver.StmtExecContext); ok {
		_, err = sx.ExecContext(ctx, nil)
		return err
	}
	_, err = st.Exec(nil) //nolint:staticcheck // fallback for drivers without StmtExecContext
	return err
}
