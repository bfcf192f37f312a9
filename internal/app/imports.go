package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"sort"
	"sync"
	"time"

	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/httpapi"
	"github.com/cairn-cdp/cairn/internal/importer"
	"github.com/cairn-cdp/cairn/internal/ingest"
	"github.com/cairn-cdp/cairn/internal/store"
)

// Imports runs server-side bulk imports (POST /v1/imports): the streamed
// body goes through the same parser, committer, log and processor as live
// events. Jobs are kept in memory for status polling; what they imported is
// durable in the log like any acknowledged event.
type Imports struct {
	state store.State
	c     *ingest.Committer
	now   func() time.Time
	mu    sync.Mutex
	jobs  map[string]*ImportJob
}

// ImportJob is the status of one import.
type ImportJob struct {
	ID         string      `json:"id"`
	Source     string      `json:"source"`
	State      string      `json:"state"` // running, done, failed
	Rows       int64       `json:"rows"`
	Rejected   int64       `json:"rejected"`
	BytesRead  int64       `json:"bytes_read"`
	RowsPerSec float64     `json:"rows_per_second"`
	Rejects    []RowReject `json:"rejects"` // the first 100
	Error      string      `json:"error,omitempty"`
	StartedAt  time.Time   `json:"started_at"`
	FinishedAt *time.Time  `json:"finished_at,omitempty"`
}

// RowReject is one rejected row of an import.
type RowReject struct {
	Line   int    `json:"line"`
	Column string `json:"column,omitempty"`
	Reason string `json:"reason"`
	Row    string `json:"row"`
}

const maxJobRejects = 100

var _ httpapi.Imports = (*Imports)(nil)

// Start runs an import of body into the named source, with the importer's
// options given as query parameters (kind, map, id-column, event, ...). It
// returns when the body is consumed.
func (im *Imports) Start(ctx context.Context, q url.Values, body io.Reader) (any, error) {
	var spec importer.Spec
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	spec.RegisterFlags(fs)
	var args []string
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range q[k] {
			args = append(args, "--"+k+"="+v)
		}
	}
	if err := fs.Parse(args); err != nil {
		return nil, &httpapi.Error{Code: httpapi.CodeBadRequest, Message: fmt.Sprintf("import options: %v", err)}
	}
	src, err := im.source(ctx, spec.SourceName)
	if err != nil {
		return nil, err
	}
	r, err := importer.NewReader(body, spec)
	if err != nil {
		return nil, &httpapi.Error{Code: httpapi.CodeBadRequest, Message: err.Error()}
	}
	job := &ImportJob{ID: newID("imp"), Source: src.Name, State: "running", StartedAt: im.now(), Rejects: []RowReject{}}
	im.mu.Lock()
	im.jobs[job.ID] = job
	im.mu.Unlock()
	sink := &committerSink{c: im.c, src: src, now: im.now}
	res, err := importer.Run(ctx, r, sink, importer.RunOptions{
		OnReject: func(e *importer.RowError) {
			im.mu.Lock()
			defer im.mu.Unlock()
			if len(job.Rejects) < maxJobRejects {
				job.Rejects = append(job.Rejects, RowReject{Line: e.Line, Column: e.Column, Reason: e.Reason, Row: string(e.Raw)})
			}
		},
		Progress: func(p importer.Progress) {
			im.mu.Lock()
			defer im.mu.Unlock()
			job.Rows, job.Rejected, job.BytesRead, job.RowsPerSec = p.Rows, p.Rejected, p.BytesRead, p.RowsPerSec
		},
	})
	im.mu.Lock()
	defer im.mu.Unlock()
	now := im.now()
	job.FinishedAt = &now
	job.Rows, job.Rejected, job.BytesRead = res.Rows, res.Rejected+sink.rejected, res.BytesRead
	job.State = "done"
	if err != nil {
		job.State, job.Error = "failed", err.Error()
	}
	cp := *job
	return &cp, nil
}

// Get returns a job's status.
func (im *Imports) Get(id string) (any, bool) {
	im.mu.Lock()
	defer im.mu.Unlock()
	j, ok := im.jobs[id]
	if !ok {
		return nil, false
	}
	cp := *j
	cp.Rejects = append([]RowReject(nil), j.Rejects...)
	return &cp, true
}

func (im *Imports) source(ctx context.Context, name string) (store.Source, error) {
	if name == "" {
		return store.Source{}, &httpapi.Error{Code: httpapi.CodeBadRequest, Field: "source", Message: "source is required: POST /v1/imports?source=NAME&..."}
	}
	list, err := im.state.ListSources(ctx)
	if err != nil {
		return store.Source{}, err
	}
	for _, s := range list {
		if s.Name == name {
			return s, nil
		}
	}
	return store.Source{}, &httpapi.Error{Code: httpapi.CodeNotFound, Field: "source", Message: fmt.Sprintf("no source named %q; create it with POST /v1/sources", name)}
}

// committerSink parses importer batches like ingest does and commits them durably.
type committerSink struct {
	c        *ingest.Committer
	src      store.Source
	now      func() time.Time
	mu       sync.Mutex
	rejected int64
}

func (s *committerSink) Send(ctx context.Context, events []json.RawMessage) error {
	var body bytes.Buffer
	body.WriteString(`{"batch":[`)
	for i, e := range events {
		if i > 0 {
			body.WriteByte(',')
		}
		body.Write(e)
	}
	body.WriteString("]}")
	now := s.now()
	p, err := event.Parse(body.Bytes(), event.ParseOptions{ReceivedAt: now, MaxBatchEvents: len(events) + 1})
	if err != nil {
		return fmt.Errorf("parse import batch: %w", err)
	}
	for _, e := range p.Events {
		e.SourceID, e.Channel = s.src.ID, s.src.Channel
	}
	rej := make([]store.Rejection, 0, len(p.Rejects))
	for _, r := range p.Rejects {
		rej = append(rej, store.Rejection{SourceID: s.src.ID, MessageID: r.MessageID, Reason: r.Reason, Detail: r.Detail,
			Field: r.Field, Excerpt: r.Excerpt, ReceivedAt: now})
	}
	for {
		_, err = s.c.Submit(ctx, p.Events, rej)
		if !errors.Is(err, ingest.ErrQueueFull) {
			break
		}
		select { // the live path answers 429 here; an import simply waits its turn
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
	if err != nil {
		return fmt.Errorf("commit import batch: %w", err)
	}
	s.mu.Lock()
	s.rejected += int64(len(rej))
	s.mu.Unlock()
	return nil
}
