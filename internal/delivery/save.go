package delivery

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"

	"github.com/cairn-cdp/cairn/internal/channel"
	"github.com/cairn-cdp/cairn/internal/journey"
	"github.com/cairn-cdp/cairn/internal/store"
)

// saveResponse copies fields of a webhook's JSON response into the
// customer's traits (a webhook node's save map: trait path → response
// path), as a Profile Updated event the processor applies. A response that
// is not JSON or lacks a field saves nothing for it (logged).
func (d *Dispatcher) saveResponse(ctx context.Context, s store.Send, p *journey.SendPayload, rcpt channel.Receipt) error {
	if len(p.Save) == 0 || len(rcpt.Response) == 0 {
		return nil
	}
	var body any
	if err := json.Unmarshal(rcpt.Response, &body); err != nil {
		d.logger.Warn("webhook response is not JSON: nothing saved", slog.String("send_key", s.Key), slog.Any("error", err))
		return nil
	}
	set := map[string]any{}
	for trait, path := range p.Save {
		v, ok := jsonPath(body, path)
		if !ok {
			d.logger.Warn("webhook response lacks a field to save", slog.String("send_key", s.Key), slog.String("path", path))
			continue
		}
		set[trait] = v
	}
	if len(set) == 0 {
		return nil
	}
	now := d.clk.Now()
	return d.append(ctx, journey.EventProfileUpdated, s.Key+"/save", now, map[string]any{
		"profile_id": s.ProfileID, "set": set, "send_key": s.Key, "journey_id": s.JourneyID, "node_id": s.NodeID,
	})
}

// jsonPath reads a dotted path (a.b.0.c) from decoded JSON.
func jsonPath(v any, path string) (any, bool) {
	for part := range strings.SplitSeq(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = x[part]; !ok {
				return nil, false
			}
		case []any:
			i := 0
			for _, c := range part {
				if c < '0' || c > '9' {
					return nil, false
				}
				i = i*10 + int(c-'0')
			}
			if part == "" || i >= len(x) {
				return nil, false
			}
			v = x[i]
		default:
			return nil, false
		}
	}
	return v, v != nil
}
