package audience

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/cairn-cdp/cairn/internal/clock"
	"github.com/cairn-cdp/cairn/internal/store"
)

// Store is what the Exporter reads: a segment's members, page by page,
// and each member's identities and traits.
type Store interface {
	SegmentMembers(ctx context.Context, segmentID, afterProfileID string, limit int) ([]store.SegmentMember, error)
	ProfileIdentities(ctx context.Context, profileID string) ([]store.Identity, error)
	ProfileTraits(ctx context.Context, profileID string) ([]store.Trait, error)
}

// Config configures an Exporter. Zero values take the defaults.
type Config struct {
	// Dir receives the audience files. Required; created if missing.
	Dir string `json:"dir"`
	// Formats to write: google, meta, hashed. Default all three.
	Formats []string `json:"formats,omitempty"`
	// DefaultRegion (ISO 3166-1 alpha-2) reads phone numbers without a
	// country code of members without a country. Empty: such numbers are
	// dropped.
	DefaultRegion string `json:"default_region,omitempty"`
	// PageSize is how many members one SegmentMembers call reads. Default 500.
	PageSize int `json:"page_size,omitempty"`
}

// DefaultPageSize is the default Config.PageSize.
const DefaultPageSize = 500

// Validate reports settings that make no sense.
func (c Config) Validate() error {
	if strings.TrimSpace(c.Dir) == "" {
		return errors.New("audience config: dir is required")
	}
	for _, f := range c.Formats {
		if _, err := NewFormat(f, ""); err != nil {
			return fmt.Errorf("audience config: %w", err)
		}
	}
	if c.DefaultRegion != "" && Country(c.DefaultRegion) == "" {
		return fmt.Errorf("audience config: default_region %q is not an ISO 3166-1 alpha-2 code", c.DefaultRegion)
	}
	if c.PageSize < 0 {
		return errors.New("audience config: page_size must not be negative")
	}
	return nil
}

// segmentIDPattern is what a segment id must look like to name files.
var segmentIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$`)

// Exporter writes segment audiences as files. It is safe for concurrent
// use; refreshes of one segment run one at a time. One Exporter per
// directory: temporary files have fixed names.
type Exporter struct {
	st      Store
	cfg     Config
	formats []Format
	clk     clock.Clock
	log     *slog.Logger

	mu    sync.Mutex
	locks map[string]*sync.Mutex
}

// NewExporter returns an Exporter of st's segments into cfg.Dir. A nil
// clock is the wall clock, a nil logger discards.
func NewExporter(st Store, cfg Config, clk clock.Clock, logger *slog.Logger) (*Exporter, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if clk == nil {
		clk = clock.Real{}
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if len(cfg.Formats) == 0 {
		cfg.Formats = []string{FormatGoogle, FormatMeta, FormatHashed}
	}
	if cfg.PageSize == 0 {
		cfg.PageSize = DefaultPageSize
	}
	e := &Exporter{st: st, cfg: cfg, clk: clk, log: logger, locks: map[string]*sync.Mutex{}}
	seen := map[string]bool{}
	for _, name := range cfg.Formats {
		if seen[name] {
			continue
		}
		seen[name] = true
		f, err := NewFormat(name, cfg.DefaultRegion)
		if err != nil {
			return nil, err
		}
		e.formats = append(e.formats, f)
	}
	if err := os.MkdirAll(cfg.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("create audience directory: %w", err)
	}
	return e, nil
}

// Stats describes one refresh.
type Stats struct {
	SegmentID string        `json:"segment_id"`
	At        time.Time     `json:"at"`
	Members   int           `json:"members"` // members of the segment
	Added     int           `json:"added"`   // members not in the previous export
	Removed   int           `json:"removed"` // members of the previous export no longer in the segment
	Formats   []FormatStats `json:"formats"`
}

// FormatStats describes the files of one format.
type FormatStats struct {
	Format      string `json:"format"`
	File        string `json:"file"`         // the full audience file
	Members     int    `json:"members"`      // members with at least one row
	Rows        int    `json:"rows"`         // distinct rows of the full file
	AddedRows   int    `json:"added_rows"`   // rows of the -added file
	RemovedRows int    `json:"removed_rows"` // rows of the -removed file
}

// File names of a segment's export.
func fullName(segmentID, format string) string    { return segmentID + "-" + format + ".csv" }
func addedName(segmentID, format string) string   { return segmentID + "-" + format + "-added.csv" }
func removedName(segmentID, format string) string { return segmentID + "-" + format + "-removed.csv" }
func stateName(segmentID string) string           { return segmentID + ".members" }

// Refresh exports a segment's current members: for each format the full
// audience "<segment>-<format>.csv" and the change since the previous
// export, "<segment>-<format>-added.csv" and "<segment>-<format>-removed.csv"
// (rows in the same format, ready for a platform's add and remove
// uploads), then the state file "<segment>.members" (SHA-256 of the
// member profile ids, sorted). Every file is written under a temporary
// name, fsynced and renamed into place — deltas first, the full file
// next, the state last — so a crash leaves each file whole, and the next
// refresh computes its delta against the full file actually in place.
func (e *Exporter) Refresh(ctx context.Context, segmentID string) (Stats, error) {
	if !segmentIDPattern.MatchString(segmentID) {
		return Stats{}, fmt.Errorf("segment id %q cannot name an audience file (letters, digits, '_', '.', '-')", segmentID)
	}
	unlock := e.lock(segmentID)
	defer unlock()

	prevMembers, err := readMembers(filepath.Join(e.cfg.Dir, stateName(segmentID)))
	if err != nil {
		return Stats{}, err
	}
	outs := make([]*formatOut, 0, len(e.formats))
	defer func() {
		for _, o := range outs {
			o.abort()
		}
	}()
	for _, f := range e.formats {
		o, err := e.openFormat(segmentID, f)
		if err != nil {
			return Stats{}, err
		}
		outs = append(outs, o)
	}
	st := Stats{SegmentID: segmentID, At: e.clk.Now()}
	hashes, err := e.scan(ctx, segmentID, outs)
	if err != nil {
		return Stats{}, err
	}
	st.Members = len(hashes)
	for _, h := range hashes {
		if _, ok := prevMembers[h]; ok {
			prevMembers[h] = true
		} else {
			st.Added++
		}
	}
	for _, seen := range prevMembers {
		if !seen {
			st.Removed++
		}
	}
	for _, o := range outs {
		if err := o.commit(e.cfg.Dir, segmentID); err != nil {
			return Stats{}, err
		}
		st.Formats = append(st.Formats, o.stats)
	}
	slices.Sort(hashes)
	if err := writeLines(e.cfg.Dir, stateName(segmentID), slices.Compact(hashes)); err != nil {
		return Stats{}, err
	}
	if err := syncDir(e.cfg.Dir); err != nil {
		return Stats{}, err
	}
	e.log.Info("exported a segment audience", slog.String("segment_id", segmentID), slog.Int("members", st.Members),
		slog.Int("added", st.Added), slog.Int("removed", st.Removed))
	return st, nil
}

// scan reads every member of the segment into the format outputs and
// returns the hashed member ids.
func (e *Exporter) scan(ctx context.Context, segmentID string, outs []*formatOut) ([]string, error) {
	var hashes []string
	after := ""
	for {
		page, err := e.st.SegmentMembers(ctx, segmentID, after, e.cfg.PageSize)
		if err != nil {
			return nil, fmt.Errorf("read members of segment %s: %w", segmentID, err)
		}
		for _, sm := range page {
			m, err := e.member(ctx, sm.ProfileID)
			if err != nil {
				return nil, err
			}
			hashes = append(hashes, Hash(sm.ProfileID))
			for _, o := range outs {
				if err := o.add(m); err != nil {
					return nil, err
				}
			}
		}
		if len(page) < e.cfg.PageSize {
			return hashes, nil
		}
		after = page[len(page)-1].ProfileID
	}
}

// member loads one member's identities and traits.
func (e *Exporter) member(ctx context.Context, profileID string) (Member, error) {
	ids, err := e.st.ProfileIdentities(ctx, profileID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return Member{}, fmt.Errorf("load identities of profile %s: %w", profileID, err)
	}
	traits, err := e.st.ProfileTraits(ctx, profileID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return Member{}, fmt.Errorf("load traits of profile %s: %w", profileID, err)
	}
	return memberOf(profileID, ids, traits), nil
}

// lock serializes refreshes of one segment.
func (e *Exporter) lock(segmentID string) func() {
	e.mu.Lock()
	l, ok := e.locks[segmentID]
	if !ok {
		l = &sync.Mutex{}
		e.locks[segmentID] = l
	}
	e.mu.Unlock()
	l.Lock()
	return l.Unlock
}

// formatOut is one format's files during a refresh.
type formatOut struct {
	f     Format
	prev  map[string]bool // rows of the previous full file, and rows written now; true once in this export
	full  *atomicFile
	added *atomicFile
	stats FormatStats
}

func (e *Exporter) openFormat(segmentID string, f Format) (*formatOut, error) {
	name := fullName(segmentID, f.Name())
	prev, err := readRows(filepath.Join(e.cfg.Dir, name), f.Header(), e.log)
	if err != nil {
		return nil, err
	}
	o := &formatOut{f: f, prev: prev, stats: FormatStats{Format: f.Name(), File: name}}
	if o.full, err = createAtomic(e.cfg.Dir, name); err != nil {
		return nil, err
	}
	if o.added, err = createAtomic(e.cfg.Dir, addedName(segmentID, f.Name())); err != nil {
		o.abort()
		return nil, err
	}
	if err := errors.Join(o.full.write(f.Header()), o.added.write(f.Header())); err != nil {
		o.abort()
		return nil, err
	}
	return o, nil
}

// add writes a member's rows: each distinct row to the full file, and to
// the added file when the previous export lacked it.
func (o *formatOut) add(m Member) error {
	rows := o.f.Rows(m)
	if len(rows) > 0 {
		o.stats.Members++
	}
	for _, r := range rows {
		k := rowKey(r)
		seen, had := o.prev[k]
		if seen {
			continue // another member's identical row
		}
		o.prev[k] = true
		if err := o.full.write(r); err != nil {
			return err
		}
		o.stats.Rows++
		if !had {
			if err := o.added.write(r); err != nil {
				return err
			}
			o.stats.AddedRows++
		}
	}
	return nil
}

// commit writes the removed file (previous rows not seen now, sorted) and
// puts the added, removed and full files in place, in that order.
func (o *formatOut) commit(dir, segmentID string) error {
	removed, err := createAtomic(dir, removedName(segmentID, o.f.Name()))
	if err != nil {
		return err
	}
	var gone []string
	for k, seen := range o.prev {
		if !seen {
			gone = append(gone, k)
		}
	}
	slices.Sort(gone)
	err = removed.write(o.f.Header())
	for _, k := range gone {
		if err != nil {
			break
		}
		err = removed.write(strings.Split(k, "\x00"))
	}
	if err != nil {
		removed.abort()
		return err
	}
	o.stats.RemovedRows = len(gone)
	if err := o.added.commit(); err != nil {
		removed.abort()
		return err
	}
	if err := removed.commit(); err != nil {
		return err
	}
	return o.full.commit()
}

func (o *formatOut) abort() {
	o.full.abort()
	o.added.abort()
}
