package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestSegmentsCommands(t *testing.T) {
	t.Parallel()
	url, dir := startApp(t)
	files := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(files, name)
		require.NoError(t, os.WriteFile(p, []byte(body), 0o600))
		return p
	}
	online := func(args ...string) (int, string, string) {
		return run(t, append(args, "--url", url, "--data", dir)...)
	}

	code, out, errs := online("segments", "create", "-f", write("buyers.json",
		`{"performed":{"event":"Order Completed","window":{"within":"30d"}}}`))
	require.Equal(t, 0, code, errs)
	buyers := strings.TrimSpace(out)
	require.True(t, strings.HasPrefix(buyers, "seg_"), out)
	require.Contains(t, errs, `"buyers" version 1`, "the name defaults to the file name")

	code, out, errs = online("segments", "create", "-f", write("denver.yaml", "trait: {path: address.city, op: equals, value: Denver}\n"),
		"--name", "Denver", "--description", "lives in Denver")
	require.Equal(t, 0, code, errs)
	denver := strings.TrimSpace(out)

	code, _, errs = online("segments", "create", "--text", `in_segment any ["`+denver+`"] and not performed "Order Completed"`, "--name", "Denver, no order")
	require.Equal(t, 0, code, errs)
	code, _, errs = online("segments", "create", "-f", write("also.txt", `trait plan = "gold"`))
	require.Equal(t, 0, code, errs)

	code, out, errs = online("segments", "list")
	require.Equal(t, 0, code, errs)
	for _, want := range []string{buyers, "Denver, no order", "also", "live", `trait address.city = "Denver"`} {
		require.Contains(t, out, want)
	}

	code, out, errs = online("segments", "get", denver)
	require.Equal(t, 0, code, errs)
	require.Contains(t, out, `"description": "lives in Denver"`)
	require.Contains(t, out, `"status": "live"`)

	code, out, errs = online("segments", "update", buyers, "--text", `performed "Order Completed" within 7d`)
	require.Equal(t, 0, code, errs)
	require.Equal(t, buyers, strings.TrimSpace(out))
	require.Contains(t, errs, "version 2")
	code, out, errs = online("segments", "versions", buyers)
	require.Equal(t, 0, code, errs)
	require.Contains(t, out, `"version": 2`)

	t.Run("bad input", func(t *testing.T) {
		code, _, errs := online("segments", "create", "--name", "bad", "--text", `performed "X" within -3d`)
		require.Equal(t, 1, code)
		require.Contains(t, errs, "field definition.performed.window.within")
		code, _, errs = online("segments", "create", "-f", write("bad.csv", "x"))
		require.Equal(t, 1, code)
		require.Contains(t, errs, ".json, .yaml, .yml or .txt")
		code, _, errs = online("segments", "create", "--text", "everyone")
		require.Equal(t, 1, code)
		require.Contains(t, errs, "--name is required")
		code, _, errs = online("segments", "get")
		require.Equal(t, 2, code)
		require.Contains(t, errs, "usage")
		code, _, errs = online("segments", "get", "seg_nope")
		require.Equal(t, 1, code)
		require.Contains(t, errs, "seg_nope")
	})

	// Two profiles through the import path, then a preview over them.
	code, _, errs = online("sources", "create", "--name", "crm", "--channel", "server")
	require.Equal(t, 0, code, errs)
	csv := write("people.csv", "id,email,city\nu-1,pia@nto.example,Denver\nu-2,sam@nto.example,Boise\n")
	code, _, errs = online("import", csv, "--source", "crm", "--id-column", "id", "--map", "email=email,city=address.city")
	require.Equal(t, 0, code, errs)
	for range 200 { // the processor runs asynchronously; poll (bounded)
		if code, out, errs = online("segments", "preview", "-f", write("p.txt", "everyone")); code == 0 && strings.Contains(out, "of 2 profiles evaluated") {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	require.Equal(t, 0, code, errs)
	require.Contains(t, out, "matched 2 of 2 profiles evaluated")

	code, out, errs = online("profiles", "get", "user_id:u-1", "-json")
	require.Equal(t, 0, code, errs)
	var pia struct{ ID string }
	require.NoError(t, json.Unmarshal([]byte(out), &pia))
	code, out, errs = online("segments", "preview", "--text", `in_segment any ["`+denver+`"]`)
	require.Equal(t, 0, code, errs)
	require.Equal(t, "matched 1 of 2 profiles evaluated; estimated size 1 of 2 profiles\n"+pia.ID+"\n", out)

	code, out, errs = online("segments", "preview", "--text", "everyone", "--sample", "1", "-json")
	require.Equal(t, 0, code, errs)
	require.Contains(t, out, `"evaluated": 1`)
	require.Contains(t, out, `"estimated_size": 2`)

	code, _, errs = online("segments", "delete", buyers)
	require.Equal(t, 0, code, errs)
	code, out, _ = online("segments", "list")
	require.Equal(t, 0, code)
	require.NotContains(t, out, buyers)
}
