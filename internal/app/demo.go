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
}

// demoBatch is how many events go into one parse + append.
const demoBatch = 1000

// LoadDemo loads the NTO demo data into a running server through the
// normal path (parse → durable log → processor), unless it was loaded before.
func (a *App) LoadDemo(ctx context.Context, o DemoOptions) error {
	start := time.Now()
	n, err := a.AppendDemo(ctx, o)
	if errors.Is(err, errDemoLoaded) {
		a.logger.Info("demo data already loaded; skipping")
		return nil
	}
	if err != nil {
		return err
	}
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
	var stored int64
	pending := map[string][]json.RawMessage{}
	flush := func(name string) error {
		list := pending[name]
		if len(list) == 0 {
			return nil
		}
		pending[name] = list[:0]
		n, err := a.appendRaw(ctx, log, sources[name], list)
		stored += n
		return err
	}
	err = demo.Read(pr, func(name string, raw json.RawMessage) error {
		if _, ok := sources[name]; !ok {
			return fmt.Errorf("demo event names unknown source %q", name)
		}
		pending[name] = append(pending[name], append(json.RawMessage(nil), raw...))
		if len(pending[name]) >= demoBatch {
			return flush(name)
		}
		return nil
	})
	pr.CloseWithError(err)
	if gerr := <-genErr; err == nil && gerr != nil {
		err = gerr
	}
	if err != nil {
		return stored, fmt.Errorf("load demo data: %w", err)
	}
	for name := range pending {
		if err := flush(name); err != nil {
			return stored, err
		}
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

// appendRaw parses Segment events as one batch body and appends them.
func (a *App) appendRaw(ctx context.Context, log store.Log, src store.Source, list []json.RawMessage) (int64, error) {
	var body bytes.Buffer
	body.WriteString(`{"batch":[`)
	for i, r := range list {
		if i > 0 {
			body.WriteByte(',')
		}
		body.Write(r)
	}
	body.WriteString("]}")
	p, err := event.Parse(body.Bytes(), event.ParseOptions{ReceivedAt: a.Clock.Now(), MaxBatchEvents: len(list) + 1})
	if err != nil {
		return 0, fmt.Errorf("parse demo batch of %s: %w", src.Name, err)
	}
	b := store.AppendBatch{Events: p.Events, DedupeSince: a.Clock.Now().Add(-a.cfg.DedupeWindow)}
	for _, e := range p.Events {
		e.SourceID, e.Channel = src.ID, src.Channel
	}
	for _, r := range p.Rejects {
		b.Rejections = append(b.Rejections, store.Rejection{SourceID: src.ID, MessageID: r.MessageID, Reason: r.Reason,
			Detail: r.Detail, Field: r.Field, Excerpt: r.Excerpt, ReceivedAt: a.Clock.Now()})
	}
	dup, err := log.Append(ctx, b)
	if err != nil {
		return 0, fmt.Errorf("append demo batch of %s: %w", src.Name, err)
	}
	var n int64
	for _, d := range dup {
		if !d {
			n++
		}
	}
	return n, nil
}
