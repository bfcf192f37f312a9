package directmail

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cairn-cdp/cairn/internal/channel"
	"github.com/cairn-cdp/cairn/internal/clock"
)

// Sender appends direct-mail messages to the batch of the current send
// window. It is safe for concurrent use.
type Sender struct {
	cfg    Config
	header []string
	clk    clock.Clock
	log    *slog.Logger
	lock   *os.File

	mu     sync.Mutex
	cur    *batch // the open window's batch; nil until the first row
	closed bool
	buf    []byte
}

// New returns a Sender writing to cfg.Dir. It locks the directory, closes
// the batches of windows that are over (cutting a torn last row a crash
// left) and resumes the current window's batch. A nil clock is the wall
// clock, a nil logger discards.
func New(cfg Config, clk clock.Clock, logger *slog.Logger) (*Sender, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if clk == nil {
		clk = clock.Real{}
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	cfg = cfg.withDefaults()
	if err := os.MkdirAll(cfg.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("create batch directory: %w", err)
	}
	lock, err := lockDir(cfg.Dir)
	if err != nil {
		return nil, err
	}
	s := &Sender{cfg: cfg, header: cfg.header(), clk: clk, log: logger, lock: lock}
	if err := s.recover(); err != nil {
		return nil, errors.Join(err, unlockDir(lock))
	}
	return s, nil
}

// recover handles the open batches an earlier Sender left: the current
// window's is resumed, every other one is repaired and closed.
func (s *Sender) recover() error {
	names, err := filepath.Glob(filepath.Join(s.cfg.Dir, s.cfg.Prefix+"-*.csv"+openSuffix))
	if err != nil {
		return fmt.Errorf("list open batches: %w", err)
	}
	slices.Sort(names)
	now := s.windowStart()
	for _, path := range names {
		start, base, ok := batchStart(s.cfg.Prefix, filepath.Base(path))
		if !ok {
			continue
		}
		if start.Equal(now) && base == s.base(now) && s.cur == nil {
			b, err := openBatch(path, base, start, s.header, s.log)
			if err == nil {
				s.cur = b
				continue
			}
			if !errors.Is(err, errHeaderMismatch) {
				return err
			}
			s.log.Warn("closing the current window's batch early: its columns differ from the configured ones", slog.String("file", path))
		}
		if err := repairFile(path, s.log); err != nil {
			return err
		}
		if _, err := finish(s.cfg.Dir, path, base); err != nil {
			return err
		}
	}
	return nil
}

func (s *Sender) windowStart() time.Time { return s.cfg.windowStart(s.clk.Now()) }

func (s *Sender) base(start time.Time) string { return s.cfg.Prefix + "-" + s.cfg.stamp(start) }

// Send appends m to the current window's batch and fsyncs it. The same key
// again returns the first receipt without writing a row. Messages without
// a key or a postal address fail permanently; file errors are temporary
// and match channel.ErrConfig (the dispatcher holds the channel's sends).
func (s *Sender) Send(ctx context.Context, m channel.Message) (channel.Receipt, error) {
	rec, err := record(m, s.cfg.Fields)
	if err != nil {
		return channel.Receipt{}, err
	}
	if err := ctx.Err(); err != nil {
		return channel.Receipt{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return channel.Receipt{}, channel.Temporary("", ErrClosed)
	}
	b, err := s.current()
	if err != nil {
		return channel.Receipt{}, fileError(err)
	}
	key := rec[0] // the key as written, so the index rebuilt from the file matches
	if row, ok := b.keys[key]; ok {
		return receipt(b.base, row, "duplicate send key: already in the batch"), nil
	}
	s.buf, err = encodeRow(s.buf[:0], rec)
	if err != nil {
		return channel.Receipt{}, channel.Permanent("", err)
	}
	row, err := b.addRow(key, s.buf)
	if err != nil {
		return channel.Receipt{}, fileError(err)
	}
	return receipt(b.base, row, ""), nil
}

// fileError classifies a batch file failure (a full disk, a directory
// that cannot be written): not the message's fault, so a channel error
// the dispatcher holds sends on rather than failing them one by one.
func fileError(err error) error {
	return channel.Temporary("", fmt.Errorf("%w: %w", channel.ErrConfig, err))
}

func receipt(base string, row int, note string) channel.Receipt {
	detail := "row " + strconv.Itoa(row)
	if note != "" {
		detail += ": " + note
	}
	return channel.Receipt{ProviderID: base, Status: "sent", Detail: detail}
}

// current returns the open batch of the current window, closing an
// expired one and opening (or reopening a broken) one as needed. The
// caller holds s.mu.
func (s *Sender) current() (*batch, error) {
	start := s.windowStart()
	if s.cur != nil && (s.cur.broken || !s.cur.start.Equal(start)) {
		if err := s.closeCurrent(!s.cur.start.Equal(start)); err != nil {
			return nil, err
		}
	}
	if s.cur != nil {
		return s.cur, nil
	}
	base := s.base(start)
	path := filepath.Join(s.cfg.Dir, base+".csv"+openSuffix)
	b, err := openBatch(path, base, start, s.header, s.log)
	if errors.Is(err, errHeaderMismatch) { // left by another configuration
		if _, err := finish(s.cfg.Dir, path, base); err != nil {
			return nil, err
		}
		b, err = openBatch(path, base, start, s.header, s.log)
	}
	if err != nil {
		return nil, err
	}
	if err := syncDir(s.cfg.Dir); err != nil {
		b.f.Close()
		return nil, err
	}
	s.cur = b
	return b, nil
}

// closeCurrent closes the open batch's file and, when its window is over
// (rename), gives it its closed name. The caller holds s.mu.
func (s *Sender) closeCurrent(rename bool) error {
	b := s.cur
	s.cur = nil
	if err := b.closeFile(); err != nil {
		return err
	}
	if !rename {
		return nil
	}
	final, err := finish(s.cfg.Dir, b.path, b.base)
	if err != nil {
		return err
	}
	s.log.Info("closed a direct-mail batch", slog.String("file", final), slog.Int("rows", b.rows))
	return nil
}

// CloseExpired closes the open batch if its window is over. Run calls it
// at every window end; call it yourself when not running Run.
func (s *Sender) CloseExpired(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || s.cur == nil || s.cur.start.Equal(s.windowStart()) {
		return nil
	}
	return s.closeCurrent(true)
}

// Run closes each window's batch when the window ends, until ctx is done.
func (s *Sender) Run(ctx context.Context) error {
	for {
		now := s.clk.Now()
		next := s.cfg.windowStart(now).Add(time.Duration(s.cfg.Window))
		select {
		case <-ctx.Done():
			return nil
		case <-s.clk.After(next.Sub(now)):
		}
		if err := s.CloseExpired(ctx); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			s.log.Error("close an expired direct-mail batch", slog.Any("error", err))
		}
	}
}

// Close releases the file and the directory lock. The current window's
// batch stays open-named: the next Sender resumes it. Send after Close
// fails with ErrClosed.
func (s *Sender) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	var err error
	if s.cur != nil {
		err = s.closeCurrent(false)
	}
	return errors.Join(err, unlockDir(s.lock))
}

// Lookup reports whether a row with m's key is in the open window's batch
// or in the closed batch of a window that ended after since
// (channel.Reconciler).
func (s *Sender) Lookup(ctx context.Context, m channel.Message, since time.Time) (channel.Receipt, bool, error) {
	key := oneLine(m.Key)
	s.mu.Lock()
	if s.cur != nil {
		if row, ok := s.cur.keys[key]; ok {
			base := s.cur.base
			s.mu.Unlock()
			return receipt(base, row, ""), true, nil
		}
	}
	s.mu.Unlock()
	names, err := filepath.Glob(filepath.Join(s.cfg.Dir, s.cfg.Prefix+"-*.csv"))
	if err != nil {
		return channel.Receipt{}, false, fmt.Errorf("list batches: %w", err)
	}
	slices.Sort(names)
	slices.Reverse(names) // newest windows first
	for _, path := range names {
		if err := ctx.Err(); err != nil {
			return channel.Receipt{}, false, err
		}
		start, base, ok := batchStart(s.cfg.Prefix, filepath.Base(path))
		if !ok || strings.HasSuffix(path, openSuffix) || !start.Add(time.Duration(s.cfg.Window)).After(since) {
			continue
		}
		sc, _, err := scanFile(path)
		if err != nil {
			return channel.Receipt{}, false, err
		}
		if row, ok := sc.keys[key]; ok {
			return receipt(base, row, ""), true, nil
		}
	}
	return channel.Receipt{}, false, nil
}

var (
	_ channel.Sender     = (*Sender)(nil)
	_ channel.Reconciler = (*Sender)(nil)
)
