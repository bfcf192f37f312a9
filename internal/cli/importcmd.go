package cli

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/cairn-cdp/cairn/internal/importer"
	"github.com/cairn-cdp/cairn/internal/store"
)

// runImport streams a file through importer and posts the events to the
// running server's /v1/import with the named source's write key, so imports
// take the same path as live events (log, dedupe, processor).
func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	// --url and --data are ours; everything else belongs to the importer.
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	newClient := clientFlags(fs)
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		name := strings.TrimLeft(strings.SplitN(a, "=", 2)[0], "-")
		if strings.HasPrefix(a, "-") && (name == "url" || name == "data") {
			pair := []string{a}
			if !strings.Contains(a, "=") && i+1 < len(args) {
				pair = append(pair, args[i+1])
				i++
			}
			if err := fs.Parse(pair); err != nil {
				return fail(stderr, err)
			}
			continue
		}
		rest = append(rest, a)
	}
	c := newClient()
	return importer.RunCLI(ctx, rest, stdout, stderr, func(sourceName string) (importer.Sink, error) {
		return newHTTPSink(ctx, c, sourceName)
	})
}

// httpSink posts Segment batches to /v1/import.
type httpSink struct {
	c    *client
	auth string
}

func newHTTPSink(ctx context.Context, c *client, sourceName string) (*httpSink, error) {
	var out struct{ Sources []store.Source }
	if _, err := c.do(ctx, "GET", "/v1/sources", nil, &out); err != nil {
		return nil, err
	}
	for _, s := range out.Sources {
		if s.Name != sourceName {
			continue
		}
		for _, k := range s.Keys {
			if k.RevokedAt == nil {
				return &httpSink{c: c, auth: "Basic " + base64.StdEncoding.EncodeToString([]byte(k.Key+":"))}, nil
			}
		}
		return nil, fmt.Errorf("source %q has no active write key; add one with 'cairn sources add-key %s'", sourceName, s.ID)
	}
	return nil, fmt.Errorf("no source named %q; create it with 'cairn sources create --name %s --channel CHANNEL'", sourceName, sourceName)
}

// Send implements importer.Sink. It retries temporary failures (429, 5xx).
func (s *httpSink) Send(ctx context.Context, events []json.RawMessage) error {
	var buf bytes.Buffer
	buf.WriteString(`{"batch":[`)
	for i, e := range events {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.Write(e)
	}
	buf.WriteString("]}")
	body := buf.Bytes()
	delay := 200 * time.Millisecond
	for attempt := 1; ; attempt++ {
		req, err := http.NewRequestWithContext(ctx, "POST", s.c.url+"/v1/import", bytes.NewReader(body))
		if err != nil {
			return fmt.Errorf("build import request: %w", err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", s.auth)
		resp, err := s.c.http.Do(req)
		status := 0
		if err == nil {
			msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
			resp.Body.Close()
			status = resp.StatusCode
			if status == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("HTTP %d: %s", status, strings.TrimSpace(string(msg)))
			if status < 500 && status != http.StatusTooManyRequests {
				return fmt.Errorf("server refused an import batch: %w", err)
			}
		}
		if attempt == 8 {
			return fmt.Errorf("send import batch after %d attempts: %w", attempt, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(delay):
		}
		delay = min(2*delay, 5*time.Second)
	}
}
