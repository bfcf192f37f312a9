package storetest

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/store"
)

func config(kind, id, body string, n int) store.ConfigObject {
	return store.ConfigObject{Kind: kind, ID: id, Body: json.RawMessage(body), UpdatedAt: at(n)}
}

func runConfig(t *testing.T, open Opener) {
	t.Parallel()
	_, s := open(t)
	ctx := t.Context()
	welcome := config("template", "welcome", `{"subject": "Hi {{ first_name }}", "html":"<p>caf\u00e9</p>"}`, 1)
	for _, o := range []store.ConfigObject{welcome, config("template", "Alpha", `{"subject":"A"}`, 2),
		config("template", "receipt", `{"subject":"R"}`, 3), config("channel", "welcome", `{"provider":"smtp"}`, 4),
		config("settings", "workspace", `{"timezone":"UTC"}`, 5)} {
		require.NoError(t, s.PutConfig(ctx, o), "%s/%s", o.Kind, o.ID)
	}

	t.Run("get reads back byte for byte", func(t *testing.T) {
		got, err := s.GetConfig(ctx, "template", "welcome")
		require.NoError(t, err)
		require.Equal(t, welcome, got)
		require.Equal(t, string(welcome.Body), string(got.Body))
		other, err := s.GetConfig(ctx, "channel", "welcome")
		require.NoError(t, err)
		require.Equal(t, config("channel", "welcome", `{"provider":"smtp"}`, 4), other, "kinds are separate namespaces")
		for _, k := range [][2]string{{"template", "nosuch"}, {"nosuch", "welcome"}} {
			_, err := s.GetConfig(ctx, k[0], k[1])
			require.ErrorIs(t, err, store.ErrNotFound, "%v", k)
		}
	})

	t.Run("list per kind ordered by id", func(t *testing.T) {
		for _, tc := range []struct {
			kind string
			want []string
		}{
			{"template", []string{"Alpha", "receipt", "welcome"}},
			{"channel", []string{"welcome"}},
			{"nosuch", nil},
		} {
			t.Run(tc.kind, func(t *testing.T) {
				list, err := s.ListConfig(ctx, tc.kind)
				require.NoError(t, err)
				var ids []string
				for _, o := range list {
					require.Equal(t, tc.kind, o.Kind)
					ids = append(ids, o.ID)
				}
				require.Equal(t, tc.want, ids)
			})
		}
	})

	t.Run("put replaces", func(t *testing.T) {
		v2 := config("template", "receipt", `{"subject":"Your receipt","v":2}`, 6)
		require.NoError(t, s.PutConfig(ctx, v2))
		got, err := s.GetConfig(ctx, "template", "receipt")
		require.NoError(t, err)
		require.Equal(t, v2, got)
		list, err := s.ListConfig(ctx, "template")
		require.NoError(t, err)
		require.Len(t, list, 3)
	})

	t.Run("put refuses invalid objects", func(t *testing.T) {
		for name, o := range map[string]store.ConfigObject{
			"invalid JSON": config("template", "receipt", `{"subject":`, 7),
			"empty body":   {Kind: "template", ID: "receipt", UpdatedAt: at(7)},
			"empty kind":   config("", "x", `{}`, 7),
			"empty id":     config("template", "", `{}`, 7),
		} {
			require.Error(t, s.PutConfig(ctx, o), name)
		}
		got, err := s.GetConfig(ctx, "template", "receipt")
		require.NoError(t, err)
		require.Equal(t, at(6), got.UpdatedAt, "a refused put changes nothing")
	})

	t.Run("delete", func(t *testing.T) {
		require.NoError(t, s.DeleteConfig(ctx, "template", "Alpha"))
		require.ErrorIs(t, s.DeleteConfig(ctx, "template", "Alpha"), store.ErrNotFound, "already deleted")
		require.ErrorIs(t, s.DeleteConfig(ctx, "channel", "receipt"), store.ErrNotFound)
		_, err := s.GetConfig(ctx, "template", "Alpha")
		require.ErrorIs(t, err, store.ErrNotFound)
		list, err := s.ListConfig(ctx, "template")
		require.NoError(t, err)
		require.Len(t, list, 2)
	})

	t.Run("reset keeps config", func(t *testing.T) {
		require.NoError(t, s.Reset(ctx))
		got, err := s.GetConfig(ctx, "template", "welcome")
		require.NoError(t, err)
		require.Equal(t, welcome, got)
	})
}
