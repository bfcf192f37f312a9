package event

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// BenchBatch returns a /v1/batch body of n track events of about 400 bytes
// each, shaped like analytics-node's.
func benchBatch(n int) []byte {
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
			`"messageId":"0a3b5c7e-1d2f-4e6a-9b8c-%012d","_metadata":{"nodeVersion":"v20.20.2","jsRuntime":"node"}}`,
			i%1000, i, i, i, i)
	}
	b.WriteString(`],"writeKey":"SEG_NODE_WK","sentAt":"2026-11-23T08:35:22.999Z"}`)
	return []byte(b.String())
}

func TestBenchBatchShape(t *testing.T) {
	t.Parallel()
	body := benchBatch(50)
	per := len(body) / 50
	if per < 380 || per > 460 {
		t.Fatalf("events are %d bytes, want about 400", per)
	}
	p, err := Parse(body, ParseOptions{ReceivedAt: testReceivedAt})
	if err != nil || len(p.Events) != 50 {
		t.Fatalf("parse: %v, %d events", err, len(p.Events))
	}
}

func BenchmarkParse(b *testing.B) {
	body := benchBatch(50)
	opts := ParseOptions{ReceivedAt: testReceivedAt, ClientIP: "203.0.113.7"}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	events := 0
	for b.Loop() {
		p, err := Parse(body, opts)
		if err != nil || len(p.Events) != 50 {
			b.Fatal(err)
		}
		events += len(p.Events)
	}
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkParseEncodingJSON is the baseline Parse is measured against:
// decoding the same body with encoding/json into maps of raw messages.
func BenchmarkParseEncodingJSON(b *testing.B) {
	body := benchBatch(50)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	events := 0
	for b.Loop() {
		var top struct {
			Batch []map[string]json.RawMessage `json:"batch"`
		}
		if err := json.Unmarshal(body, &top); err != nil {
			b.Fatal(err)
		}
		for _, ev := range top.Batch {
			if _, err := json.Marshal(ev); err != nil {
				b.Fatal(err)
			}
		}
		events += len(top.Batch)
	}
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
}
