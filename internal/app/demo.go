package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/cairn-cdp/cairn/internal/demo"
	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/store"
)

// DemoOptions choose the demo data set.
type DemoOptions struct {
	Customers int
	Seed      uint64
	End       time.Time // zero: today 00:00 UTC on the app clock
	live      bool      // a running processor must reload segments and stages (LoadDemo)
}

// demoBatch is how many events of one source are parsed together, and
// demoGroup how many go into one append transaction.
const (
	demoBatch = 1000
	demoGroup = 5000
)

// ExpectDemo marks the server not ready until LoadDemo has appended the
// demo data and the processor has caught up with it; call it before Run
// when LoadDemo follows, so /readyz never answers ready in between.
func (a *App) ExpectDemo() { a.loading.Store(true) }

// LoadDemo loads the NTO demo data into a running server through the
// normal path (parse → durable log → processor), unless it was loaded before.
// /readyz answers ready once the processor has reached the last demo event.
func (a *App) LoadDemo(ctx context.Context, o DemoOptions) error {
	a.loading.Store(true)
	defer a.loading.Store(false)
	start := time.Now()
	o.live = true
	n, err := a.AppendDemo(ctx, o)
	if errors.Is(err, errDemoLoaded) {
		a.logger.Info("demo data already loaded; skipping")
		return nil
	}
	if err != nil {
		return err
	}
	st, err := a.Log.Stats(ctx)
	if err != nil {
		return fmt.Errorf("read the log head after the demo data: %w", err)
	}
	a.demoHead.Store(st.Head)
	a.logger.Info("demo data appended; processing", slog.Int64("events", n), slog.Duration("took", time.Since(start).Round(time.Millisecond)))
	return nil
}

var errDemoLoaded = errors.New("demo data already loaded")

// AppendDemo creates the demo sources and appends the generated events to
// the log in batches, as ingest would. It returns the number of events stored.
func (a *App) AppendDemo(ctx context.Context, o DemoOptions) (int64, error) {
	sources, err := a.demoSources(ctx)
	if err != nil {
		return 0, err
	}
	created, err := a.ensureDemoStages(ctx)
	if err != nil {
		return 0, err
	}
	if created && o.live {
		if err := a.liveDemoStages(ctx); err != nil {
			return 0, err
		}
	}
	published, err := a.ensureDemoJourneys(ctx)
	if err != nil {
		return 0, err
	}
	if published && o.live {
		if err := a.Processor.ReloadJourneys(ctx); err != nil {
			return 0, err
		}
	}
	if o.End.IsZero() {
		o.End = a.Clock.Now().UTC().Truncate(24 * time.Hour)
	}
	pr, pw := io.Pipe()
	genErr := make(chan error, 1)
	go func() {
		_, err := demo.Generate(ctx, demo.Config{Customers: o.Customers, Seed: o.Seed, End: o.End}, pw)
		pw.CloseWithError(err)
		genErr <- err
	}()
	log := notifyingLog{Log: a.Log, p: a.Processor}
	// Parsing runs on this goroutine while a second one appends: the two
	// overlap, and each append groups several parsed batches into one
	// fsync'd transaction, as the ingest committer does for live traffic.
	parsed := make(chan store.AppendBatch, 4)
	var stored int64
	appendErr := make(chan error, 1)
	go func() {
		var err error
		for b := range parsed {
			if err != nil {
				continue // drain so the producer never blocks
			}
			var n int64
			n, err = a.appendBatch(ctx, log, b)
			stored += n
		}
		appendErr <- err
	}()
	pending := map[string][]json.RawMessage{}
	var group store.AppendBatch
	send := func() {
		if len(group.Events)+len(group.Rejections) > 0 {
			parsed <- group
			group = store.AppendBatch{}
		}
	}
	flush := func(name string) error {
		list := pending[name]
		if len(list) == 0 {
			return nil
		}
		pending[name] = nil
		b, err := a.parseRaw(sources[name], list)
		if err != nil {
			return err
		}
		group.Events = append(group.Events, b.Events...)
		group.Rejections = append(group.Rejections, b.Rejections...)
		if len(group.Events) >= demoGroup {
			send()
		}
		return nil
	}
	err = demo.Read(pr, func(name string, raw json.RawMessage) error {
		if _, ok := sources[name]; !ok {
			return fmt.Errorf("demo event names unknown source %q", name)
		}
		pending[name] = append(pending[name], raw)
		if len(pending[name]) >= demoBatch {
			return flush(name)
		}
		return nil
	})
	pr.CloseWithError(err)
	if gerr := <-genErr; err == nil && gerr != nil {
		err = gerr
	}
	for name := range pending {
		if err != nil {
			break
		}
		err = flush(name)
	}
	send()
	close(parsed)
	if aerr := <-appendErr; err == nil {
		err = aerr
	}
	if err != nil {
		return stored, fmt.Errorf("load demo data: %w", err)
	}
	return stored, nil
}

// demoSources creates the demo's sources, or reports errDemoLoaded.
func (a *App) demoSources(ctx context.Context) (map[string]store.Source, error) {
	existing, err := a.State.ListSources(ctx)
	if err != nil {
		return nil, err
	}
	byName := map[string]store.Source{}
	for _, s := range existing {
		byName[s.Name] = s
	}
	out := map[string]store.Source{}
	for _, spec := range demo.Sources() {
		if _, ok := byName[spec.Name]; ok {
			return nil, errDemoLoaded
		}
		now := a.Clock.Now()
		s := store.Source{ID: newID("src"), Name: spec.Name, Channel: spec.Channel, Party: spec.Party, CreatedAt: now}
		s.Keys = []store.WriteKey{{Key: RandomToken(24), SourceID: s.ID, CreatedAt: now}}
		if err := a.State.CreateSource(ctx, s); err != nil {
			return nil, fmt.Errorf("create demo source %s: %w", spec.Name, err)
		}
		out[spec.Name] = s
	}
	return out, nil
}

// parseRaw parses Segment events of one source as one batch body.
func (a *App) parseRaw(src store.Source, list []json.RawMessage) (store.AppendBatch, error) {
	var body bytes.Buffer
	body.WriteString(`{"batch":[`)
	for i, r := range list {
		if i > 0 {
			body.WriteByte(',')
		}
		body.Write(r)
	}
	body.WriteString("]}")
	now := a.Clock.Now()
	p, err := event.Parse(body.Bytes(), event.ParseOptions{ReceivedAt: now, MaxBatchEvents: len(list) + 1})
	if err != nil {
		return store.AppendBatch{}, fmt.Errorf("parse demo batch of %s: %w", src.Name, err)
	}
	b := store.AppendBatch{Events: p.Events}
	for _, e := range p.Events {
		e.SourceID, e.Channel = src.ID, src.Channel
	}
	for _, r := range p.Rejects {
		b.Rejections = append(b.Rejections, store.Rejection{SourceID: src.ID, MessageID: r.MessageID, Reason: r.Reason,
			Detail: r.Detail, Field: r.Field, Excerpt: r.Excerpt, ReceivedAt: now})
	}
	return b, nil
}

// appendBatch appends one group durably and returns how many events were new.
func (a *App) appendBatch(ctx context.Context, log store.Log, b store.AppendBatch) (int64, error) {
	b.DedupeSince = a.Clock.Now().Add(-a.cfg.DedupeWindow)
	dup, err := log.Append(ctx, b)
	if err != nil {
		return 0, fmt.Errorf("append demo events: %w", err)
	}
	var n int64
	for _, d := range dup {
		if !d {
			n++
		}
	}
	return n, nil
}
