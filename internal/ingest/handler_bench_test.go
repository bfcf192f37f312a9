package ingest

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/cairn-cdp/cairn/internal/store"
	"github.com/cairn-cdp/cairn/internal/traffic"
)

// benchBody is a /v1/batch body of n track events of about 400 bytes each.
func benchBody(n, seq int) []byte {
	var b strings.Builder
	b.WriteString(`{"batch":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"timestamp":"2026-11-23T08:35:22.%03dZ","integrations":{},"type":"track","event":"Product Added",`+
			`"properties":{"product_id":"sku-%05d","price":39.95,"quantity":1,"category":"Footwear"},`+
			`"userId":"u-%06d","anonymousId":"7c0f9a2e-5b1d-4e8f-9a3c-%012d",`+
			`"context":{"library":{"name":"@segment/analytics-node","version":"3.1.0"}},`+
			`"messageId":"0a3b5c7e-1d2f-4e6a-%04d-%012d","_metadata":{"nodeVersion":"v20.20.2","jsRuntime":"node"}}`,
			i%1000, i, i, i, seq%10000, i)
	}
	b.WriteString(`],"writeKey":"SEG_NODE_WK","sentAt":"2026-11-23T08:35:22.999Z"}`)
	return []byte(b.String())
}

// nopLog acknowledges every group at once, so the benchmark measures the
// handler, the parser and the group-commit machinery, not a store.
type nopLog struct{}

func (nopLog) Append(_ context.Context, b store.AppendBatch) ([]bool, error) {
	return make([]bool, len(b.Events)), nil
}

func benchmarkHandler(b *testing.B, parallel bool, tap Tap) {
	e := newEnv(b, envOptions{appendTo: nopLog{}})
	if tap != nil {
		e.h.SetTap(tap)
	}
	body := benchBody(50, 0)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	send := func() {
		req := httptest.NewRequest(http.MethodPost, "/v1/batch", bytes.NewReader(body))
		req.Header.Set("Authorization", basic("WEB_WK"))
		rec := httptest.NewRecorder()
		e.mux.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
	if parallel {
		b.SetParallelism(4)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				send()
			}
		})
	} else {
		for b.Loop() {
			send()
		}
	}
	b.ReportMetric(float64(b.N*50)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkHandler sends one 50-event batch (~400 B per event) at a time.
func BenchmarkHandler(b *testing.B) { benchmarkHandler(b, false, nil) }

// BenchmarkHandlerParallel sends from 4 goroutines per CPU, so groups form.
func BenchmarkHandlerParallel(b *testing.B) { benchmarkHandler(b, true, nil) }

// BenchmarkHandlerTap is BenchmarkHandlerParallel with the console's
// traffic hub tapping every request as `serve` wires it: the per-minute
// counts always, the debugger fan-out with one watcher (reading nothing, so
// it drops) and without.
func BenchmarkHandlerTap(b *testing.B) {
	b.Run("nobody watching", func(b *testing.B) { benchmarkHandler(b, true, traffic.NewHub(24*time.Hour)) })
	b.Run("one debugger", func(b *testing.B) {
		h := traffic.NewHub(24 * time.Hour)
		defer h.Subscribe("").Close()
		benchmarkHandler(b, true, h)
	})
}
