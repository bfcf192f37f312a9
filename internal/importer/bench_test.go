package importer

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"testing"
)

// benchSpec maps an 8-column customer export, the shape of a CRM dump.
var benchSpec = Spec{SourceName: "crm", IDColumn: "customer_id", Map: map[string]string{
	"email": "email", "first_name": "first_name", "last_name": "last_name", "phone": "phone",
	"city": "address.city", "postal_code": "address.postal_code", "age": "age:int",
}}

const benchHeader = "customer_id,email,first_name,last_name,phone,city,postal_code,age\n"

var firstNames = []string{"Pia", "Bo", "Astrid", "José", "Mei", "Olu", "Sanna", "Kai"}
var cities = []string{"Oslo", "Bergen", "San Francisco", "São Paulo", `"Portland, OR"`, "Trondheim"}

// benchRows renders n distinct rows (about 90 bytes each).
func benchRows(n int) []byte {
	var b bytes.Buffer
	for i := range n {
		fn := firstNames[i%len(firstNames)]
		fmt.Fprintf(&b, "c-%07d,%s.hansen%d@example.com,%s,Hansen,+47%08d,%s,%04d,%d\n",
			i, fn, i, fn, 40000000+i, cities[i%len(cities)], i%10000, 18+i%70)
	}
	return b.Bytes()
}

// endless serves the header, then repeats body forever: a stream as long as
// the benchmark needs, without holding it in memory.
type endless struct {
	head, body []byte
	off        int
}

func (e *endless) Read(p []byte) (int, error) {
	if len(e.head) > 0 {
		n := copy(p, e.head)
		e.head = e.head[n:]
		return n, nil
	}
	n := copy(p, e.body[e.off:])
	e.off = (e.off + n) % len(e.body)
	return n, nil
}

func benchNext(b *testing.B, src io.Reader, spec Spec) {
	r, err := NewReader(src, spec)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	rows := 0
	for b.Loop() {
		row, err := r.Next()
		if err != nil {
			b.Fatal(err)
		}
		rows++
		b.SetBytes(int64(len(row.Event)))
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkReaderCSV measures the reader alone: parse, map, build the JSON,
// hash the messageId, one row per iteration.
func BenchmarkReaderCSV(b *testing.B) {
	benchNext(b, &endless{head: []byte(benchHeader), body: benchRows(10000)}, benchSpec)
}

// BenchmarkReaderCSVPassthrough imports every column under its own name.
func BenchmarkReaderCSVPassthrough(b *testing.B) {
	benchNext(b, &endless{head: []byte(benchHeader), body: benchRows(10000)}, Spec{SourceName: "crm", IDColumn: "customer_id"})
}

// BenchmarkReaderJSONLFlat reads the same rows as flat JSON objects.
func BenchmarkReaderJSONLFlat(b *testing.B) {
	var body bytes.Buffer
	for i := range 10000 {
		fmt.Fprintf(&body, `{"customer_id":"c-%07d","email":"p%d@example.com","first_name":"Pia","last_name":"Hansen","phone":"+47%08d","city":"Oslo","postal_code":"%04d","age":%d}`+"\n",
			i, i, 40000000+i, i%10000, 18+i%70)
	}
	spec := benchSpec
	spec.Format = FormatJSONL
	benchNext(b, &endless{body: body.Bytes()}, spec)
}

// BenchmarkReaderJSONLFull reads full Segment events without messageIds.
func BenchmarkReaderJSONLFull(b *testing.B) {
	var body bytes.Buffer
	for i := range 10000 {
		fmt.Fprintf(&body, `{"type":"track","userId":"c-%07d","event":"Order Completed","properties":{"order_id":"o-%d","revenue":%d.5},"timestamp":"2024-05-01T13:45:00Z"}`+"\n", i, i, i%500)
	}
	benchNext(b, &endless{body: body.Bytes()}, Spec{SourceName: "backfill", Format: FormatJSONL})
}

type countSink struct{ n int }

func (s *countSink) Send(_ context.Context, evs []json.RawMessage) error {
	s.n += len(evs)
	return nil
}

// BenchmarkRunCSV measures a whole import of 200k rows into a sink that
// only counts: reading, batching and the hand-off between goroutines.
func BenchmarkRunCSV(b *testing.B) {
	const n = 200_000
	data := append([]byte(benchHeader), benchRows(n)...)
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		r, err := NewReader(bytes.NewReader(data), benchSpec)
		if err != nil {
			b.Fatal(err)
		}
		sink := &countSink{}
		res, err := Run(b.Context(), r, sink, RunOptions{})
		if err != nil || res.Rows != n || sink.n != n {
			b.Fatalf("rows %d, sent %d: %v", res.Rows, sink.n, err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkRunCSVGzip is BenchmarkRunCSV on a gzip-compressed file.
func BenchmarkRunCSVGzip(b *testing.B) {
	const n = 200_000
	data := gz(b, append([]byte(benchHeader), benchRows(n)...))
	b.ReportAllocs()
	for b.Loop() {
		r, err := NewReader(bytes.NewReader(data), benchSpec)
		if err != nil {
			b.Fatal(err)
		}
		if res, err := Run(b.Context(), r, &countSink{}, RunOptions{}); err != nil || res.Rows != n {
			b.Fatalf("rows %d: %v", res.Rows, err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

func BenchmarkAppendJSONString(b *testing.B) {
	s := []byte(`Pia "P" Hansen, São Paulo — line one` + "\n")
	buf := make([]byte, 0, 128)
	b.ReportAllocs()
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		buf = appendJSONString(buf[:0], s)
	}
}
