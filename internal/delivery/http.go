package delivery

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"

	"github.com/cairn-cdp/cairn/internal/policy"
	"github.com/cairn-cdp/cairn/internal/store"
)

// pixel is a transparent 1×1 GIF.
var pixel = []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff\x21\xf9\x04\x01\x00\x00\x00\x00\x2c\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02\x44\x01\x00\x3b")

// Register adds the public tracking and unsubscribe routes.
func (d *Dispatcher) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /t/o/{token}", d.open)
	mux.HandleFunc("GET /t/c/{token}", d.click)
	mux.HandleFunc("GET /unsubscribe/{token}", d.unsubscribePage)
	mux.HandleFunc("POST /unsubscribe/{token}", d.unsubscribe)
	mux.HandleFunc("POST /v1/feedback/{channel}/status", d.statusCallback)
	mux.HandleFunc("POST /v1/feedback/{channel}/inbound", d.inbound)
}

func (d *Dispatcher) open(w http.ResponseWriter, r *http.Request) {
	if key, err := d.VerifyOpen(r.PathValue("token")); err == nil {
		if err := d.Engage(r.Context(), key, "opened", ""); err != nil {
			d.logger.Error("record an open", slog.String("send_key", key), slog.Any("error", err))
		}
	}
	w.Header().Set("Content-Type", "image/gif")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(pixel) //nolint:errcheck // the client went away
}

func (d *Dispatcher) click(w http.ResponseWriter, r *http.Request) {
	dest := r.URL.Query().Get("u")
	key, err := d.VerifyClick(r.PathValue("token"), dest)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if u, perr := url.Parse(dest); perr != nil || (u.Scheme != "https" && u.Scheme != "http") {
		http.Error(w, "the link's destination is not an http(s) URL", http.StatusBadRequest)
		return
	}
	if err := d.Engage(r.Context(), key, "clicked", dest); err != nil {
		d.logger.Error("record a click", slog.String("send_key", key), slog.Any("error", err))
	}
	http.Redirect(w, r, dest, http.StatusFound)
}

var unsubTmpl = template.Must(template.New("unsub").Parse(`<!doctype html><html><head><meta charset="utf-8"><title>Unsubscribe</title></head>
<body><main style="font-family:sans-serif;max-width:32em;margin:4em auto">{{if .Done}}<h1>You are unsubscribed</h1><p>You will no longer receive these {{.Channel}} messages.</p>{{else}}
<h1>Unsubscribe?</h1><p>Stop receiving these {{.Channel}} messages.</p><form method="post"><button type="submit" name="List-Unsubscribe" value="One-Click">Unsubscribe</button></form>{{end}}</main></body></html>`))

// unsubscribePage asks for confirmation: link scanners fetch GET links, so
// a GET never unsubscribes; mail clients use the RFC 8058 one-click POST.
func (d *Dispatcher) unsubscribePage(w http.ResponseWriter, r *http.Request) {
	c, err := policy.ParseUnsubscribeToken(d.cfg.Secret, r.PathValue("token"))
	if err != nil {
		http.Error(w, ErrBadToken.Error(), http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = unsubTmpl.Execute(w, map[string]any{"Channel": c.Channel, "Done": false}) //nolint:errcheck // the client went away
}

func (d *Dispatcher) unsubscribe(w http.ResponseWriter, r *http.Request) {
	c, err := policy.ParseUnsubscribeToken(d.cfg.Secret, r.PathValue("token"))
	if err != nil {
		http.Error(w, ErrBadToken.Error(), http.StatusBadRequest)
		return
	}
	if err := d.Unsubscribe(r.Context(), c, "link"); err != nil {
		d.logger.Error("unsubscribe", slog.String("profile_id", c.ProfileID), slog.Any("error", err))
		http.Error(w, "could not record the unsubscribe; please try again", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = unsubTmpl.Execute(w, map[string]any{"Channel": c.Channel, "Done": true}) //nolint:errcheck // the client went away
}

// AllGroup is the subscription group id that stands for "every message of
// a channel": unsubscribing without a group records it, and every send on
// the channel checks it.
func AllGroup(channel string) string { return "all:" + channel }

// Unsubscribe records an unsubscribe at once (the next send checks it) and
// appends Unsubscribed to the customer's timeline.
func (d *Dispatcher) Unsubscribe(ctx context.Context, c policy.UnsubClaims, source string) error {
	group := c.GroupID
	if group == "" {
		group = AllGroup(c.Channel)
	}
	now := d.clk.Now()
	if err := d.st.SetSubscription(ctx, store.Subscription{ProfileID: c.ProfileID, GroupID: group, State: "unsubscribed", UpdatedAt: now, Source: source}); err != nil {
		return fmt.Errorf("record unsubscribe of %s from %s: %w", c.ProfileID, group, err)
	}
	if c.Key != "" {
		if err := d.st.AddEngagement(ctx, store.Engagement{Key: c.Key, Type: "unsubscribed", At: now}); err != nil && !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("record unsubscribe of send %s: %w", c.Key, err)
		}
	}
	return d.append(ctx, "Unsubscribed", "unsub/"+c.ProfileID+"/"+group+"/"+now.String(), now,
		map[string]any{"profile_id": c.ProfileID, "subscription_group": group, "channel": c.Channel, "send_key": c.Key, "source": source})
}
