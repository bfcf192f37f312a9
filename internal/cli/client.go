package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/cairn-cdp/cairn/internal/app"
)

// client talks to a running server's management API.
type client struct {
	url   string
	token string
	http  *http.Client
}

// clientFlags registers --url and --data (to find the token) on fs.
func clientFlags(fs *flag.FlagSet) func() *client {
	url := fs.String("url", envOr("CAIRN_URL", "http://127.0.0.1:4280"), "server URL (env CAIRN_URL)")
	data := fs.String("data", "./cairn-data", "data folder to read admin.token from when CAIRN_ADMIN_TOKEN is unset")
	return func() *client {
		return &client{url: strings.TrimRight(*url, "/"), token: app.ReadAdminToken(*data), http: &http.Client{Timeout: 60 * time.Second}}
	}
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

// apiError is the server's error envelope.
type apiError struct {
	Status  int
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field"`
}

func (e *apiError) Error() string {
	s := fmt.Sprintf("%s (HTTP %d): %s", e.Code, e.Status, e.Message)
	if e.Field != "" {
		s += " [field " + e.Field + "]"
	}
	return s
}

// do sends a request and decodes a JSON answer into out (when non-nil).
// It returns the raw body too, for -json output.
func (c *client) do(ctx context.Context, method, path string, body any, out any) ([]byte, error) {
	_, raw, err := c.doHeader(ctx, method, path, nil, body, out)
	return raw, err
}

// doHeader is do with extra request headers, also returning the status.
func (c *client) doHeader(ctx context.Context, method, path string, header http.Header, body any, out any) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, nil, fmt.Errorf("encode request: %w", err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.url+path, rd)
	if err != nil {
		return 0, nil, fmt.Errorf("build request %s %s: %w", method, path, err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("%s %s: %w (is the server running? start it with 'cairn serve')", method, c.url+path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, nil, fmt.Errorf("read response of %s %s: %w", method, path, err)
	}
	if resp.StatusCode >= 300 {
		var env struct {
			Error apiError `json:"error"`
		}
		if json.Unmarshal(raw, &env) == nil && env.Error.Code != "" {
			env.Error.Status = resp.StatusCode
			return resp.StatusCode, raw, &env.Error
		}
		return resp.StatusCode, raw, fmt.Errorf("%s %s: HTTP %d: %s", method, path, resp.StatusCode, strings.TrimSpace(string(raw)))
	}
	if out != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			return resp.StatusCode, raw, fmt.Errorf("decode response of %s %s: %w", method, path, err)
		}
	}
	return resp.StatusCode, raw, nil
}

// printJSON writes raw JSON indented.
func printJSON(w io.Writer, raw []byte) {
	var buf bytes.Buffer
	if json.Indent(&buf, raw, "", "  ") != nil {
		w.Write(raw)
		return
	}
	buf.WriteByte('\n')
	w.Write(buf.Bytes())
}

// fail prints an error and returns exit code 1.
func fail(stderr io.Writer, err error) int {
	fmt.Fprintln(stderr, "cairn:", err)
	return 1
}

// parseArgs parses flags that may come before or after positional arguments
// (`cairn profiles get REF --url U`), returning the positionals in order.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if rest[0] == "--" {
			return append(pos, rest[1:]...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// sendJSONFile sends the JSON object in file as the body of method path and
// prints the answer: the shared body of the "set -f FILE" verbs.
func sendJSONFile(ctx context.Context, c *client, method, path, file, usage string, stdout, stderr io.Writer) int {
	if file == "" {
		fmt.Fprintln(stderr, "usage:", usage)
		return 2
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return fail(stderr, err)
	}
	var body any
	if err := json.Unmarshal(b, &body); err != nil {
		return fail(stderr, fmt.Errorf("%s is not JSON: %w", file, err))
	}
	raw, err := c.do(ctx, method, path, body, nil)
	if err != nil {
		return fail(stderr, err)
	}
	printJSON(stdout, raw)
	return 0
}
