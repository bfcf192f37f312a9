package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/store"
)

// ReasonErasedSubject is the rejection reason of an event suppressed by the
// Filter. Such rejections carry no excerpt: the person was erased.
const ReasonErasedSubject = "erased_subject"

// collector returns the handler of a batch path (callType "") or of a
// single-event path.
func (h *Handler) collector(callType event.Type) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		return h.collect(w, r, callType)
	}
}

// collect authenticates, reads, parses, stamps and commits one request.
func (h *Handler) collect(w http.ResponseWriter, r *http.Request, callType event.Type) error {
	ctx := r.Context()
	now := h.clk.Now()

	// The Basic header wins; without it the key comes from the body.
	key, fromHeader, err := basicKey(r)
	if err != nil {
		return err
	}
	var src store.Source
	if fromHeader {
		if src, err = h.keys.source(ctx, key, now); err != nil {
			return err
		}
	}

	buf := h.bufs.Get().(*bytes.Buffer)
	buf.Reset()
	defer h.bufs.Put(buf)
	if err := h.readBody(r, buf); err != nil {
		return err
	}
	parsed, err := event.Parse(buf.Bytes(), event.ParseOptions{
		CallType:       callType,
		ReceivedAt:     now,
		ClientIP:       h.clientIP(r),
		MaxEventBytes:  h.cfg.MaxEventBytes,
		MaxBatchEvents: h.cfg.MaxBatchEvents,
	})
	switch {
	case errors.Is(err, event.ErrTooManyEvents):
		return errorf(http.StatusRequestEntityTooLarge, codeTooManyEvents, err.Error())
	case err != nil:
		return errorf(http.StatusBadRequest, codeInvalidBody, err.Error())
	}
	if !fromHeader {
		if parsed.WriteKey == "" {
			return errorf(http.StatusUnauthorized, codeMissingWriteKey,
				`no write key: send "Authorization: Basic base64(writeKey:)" or "writeKey" in the body`)
		}
		if src, err = h.keys.source(ctx, parsed.WriteKey, now); err != nil {
			return err
		}
	}

	h.m.received.Add(float64(len(parsed.Events) + len(parsed.Rejects)))
	rejections := make([]store.Rejection, 0, len(parsed.Rejects))
	for _, rj := range parsed.Rejects {
		rejections = append(rejections, store.Rejection{
			SourceID:   src.ID,
			MessageID:  rj.MessageID,
			Reason:     rj.Reason,
			Detail:     rj.Detail,
			Field:      rj.Field,
			Excerpt:    rj.Excerpt,
			ReceivedAt: now,
		})
	}
	events := parsed.Events[:0]
	for _, ev := range parsed.Events {
		ev.SourceID, ev.Channel = src.ID, src.Channel
		if h.filter != nil && h.filter.Suppress(ctx, ev) {
			rejections = append(rejections, store.Rejection{
				SourceID:   src.ID,
				MessageID:  ev.MessageID,
				Reason:     ReasonErasedSubject,
				Detail:     "the event names a person whose data was erased; their late events are dropped",
				ReceivedAt: now,
			})
			continue
		}
		events = append(events, ev)
	}
	for _, rj := range rejections {
		h.m.rejected.WithLabelValues(rj.Reason).Inc()
	}

	dup, err := h.c.Submit(ctx, events, rejections)
	switch {
	case errors.Is(err, ErrQueueFull):
		return &apiError{status: http.StatusTooManyRequests, code: codeOverloaded, retryAfter: true,
			message: fmt.Sprintf("ingest is busy; retry after %s second(s)", h.retryAfter)}
	case errors.Is(err, ErrClosed):
		return unavailable("the server is shutting down; retry")
	case err != nil:
		if ctx.Err() == nil {
			h.logger.Warn("events not committed", slog.String("source_id", src.ID), slog.Int("events", len(events)), slog.Any("error", err))
		}
		return unavailable("the events could not be stored; retry")
	}
	dups := 0
	for _, d := range dup {
		if d {
			dups++
		}
	}
	h.m.stored.Add(float64(len(events) - dups))
	h.m.duplicate.Add(float64(dups))
	if h.tap != nil {
		h.tap.Publish(src, events, dup, rejections, now)
	}
	writeSuccess(w)
	return nil
}
