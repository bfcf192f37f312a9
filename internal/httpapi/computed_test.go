package httpapi

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/segment"
)

func TestComputedErr(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, body, field, msg string }{
		{"root", `[1]`, "body", "must be an object"},
		{"field", `{"name":"a","kind":"median","event":"E","property":"p"}`, "kind", "valid kinds"},
		{"nested filter", `{"name":"a","kind":"sum","event":"E","property":"p","where":[{"property":"x","op":"nope","value":1}]}`, "where[0].op", ""},
		{"absolute window", `{"name":"a","kind":"count","event":"E","window":{"after":"2026-01-01T00:00:00Z"}}`, "window", `within`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := segment.ParseComputed([]byte(tc.body))
			require.Error(t, err)
			var ae *Error
			require.True(t, errors.As(computedErr(err), &ae))
			require.Equal(t, CodeBadRequest, ae.Code)
			require.Equal(t, tc.field, ae.Field, ae.Message)
			require.Contains(t, ae.Message, tc.msg)
		})
	}
}
