package importer

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// got is what a Reader produced from one input.
type got struct {
	rows    []Row // events copied
	rejects []*RowError
	err     error // the fatal error, nil at a clean EOF
}

func readAll(tb testing.TB, in []byte, spec Spec) got {
	tb.Helper()
	r, err := NewReader(bytes.NewReader(in), spec)
	if err != nil {
		return got{err: err}
	}
	return drain(tb, r)
}

func drain(tb testing.TB, r *Reader) got {
	tb.Helper()
	var g got
	for {
		row, err := r.Next()
		var re *RowError
		switch {
		case err == nil:
			row.Event = bytes.Clone(row.Event)
			g.rows = append(g.rows, row)
		case errors.As(err, &re):
			g.rejects = append(g.rejects, re)
		case errors.Is(err, io.EOF):
			return g
		default:
			g.err = err
			// a fatal error is sticky
			_, again := r.Next()
			require.Equal(tb, err, again)
			return g
		}
	}
}

// norm checks the event's messageId and removes it and context.library, so
// tests compare only what the mapping produced.
func norm(tb testing.TB, ev []byte) string {
	tb.Helper()
	require.True(tb, json.Valid(ev), "invalid JSON: %s", ev)
	var m map[string]any
	require.NoError(tb, json.Unmarshal(ev, &m))
	id, _ := m["messageId"].(string)
	require.NotEmpty(tb, id, "no messageId in %s", ev)
	if strings.HasPrefix(id, messageIDPrefix) {
		require.Len(tb, id, len(messageIDPrefix)+32)
		delete(m, "messageId")
	}
	if ctx, ok := m["context"].(map[string]any); ok {
		if lib, ok := ctx["library"].(map[string]any); ok && lib["name"] == "cairn-import" {
			delete(ctx, "library")
		}
		if len(ctx) == 0 {
			delete(m, "context")
		}
	}
	out, err := json.Marshal(m)
	require.NoError(tb, err)
	return string(out)
}

func messageID(tb testing.TB, ev []byte) string {
	tb.Helper()
	var m struct {
		MessageID string `json:"messageId"`
	}
	require.NoError(tb, json.Unmarshal(ev, &m))
	return m.MessageID
}

// rejectWant describes an expected *RowError.
type rejectWant struct {
	line   int
	column string
	reason string // substring
}

func checkRejects(tb testing.TB, want []rejectWant, have []*RowError) {
	tb.Helper()
	require.Len(tb, have, len(want), "rejects: %v", have)
	for i, w := range want {
		require.Equal(tb, w.line, have[i].Line, "reject %d: %v", i, have[i])
		require.Equal(tb, w.column, have[i].Column, "reject %d: %v", i, have[i])
		require.Contains(tb, have[i].Reason, w.reason, "reject %d", i)
	}
}

func gz(tb testing.TB, data []byte) []byte {
	tb.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	_, err := w.Write(data)
	require.NoError(tb, err)
	require.NoError(tb, w.Close())
	return b.Bytes()
}
