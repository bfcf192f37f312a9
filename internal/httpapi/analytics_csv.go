package httpapi

import (
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// tabular is a response with a natural spreadsheet table: the analytics
// routes answer it as CSV when the client asks for text/csv.
type tabular interface {
	csvTable() (header []string, rows [][]string)
}

// writeResult writes v as CSV when the request's Accept header prefers
// text/csv and v has a table, and as JSON otherwise. A client accepting
// only text/csv for a result without a table gets 406.
func writeResult(w http.ResponseWriter, r *http.Request, v any) {
	csvOK, only := csvWanted(r.Header.Get("Accept"))
	t, ok := v.(tabular)
	switch {
	case csvOK && ok:
		header, rows := t.csvTable()
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="`+csvFilename(r.URL.Path)+`"`)
		w.WriteHeader(http.StatusOK)
		cw := csv.NewWriter(w)
		_ = cw.Write(header)
		_ = cw.WriteAll(rows) // flushes; errors past the status line can only be logged, as for JSON
	case only:
		writeJSON(w, http.StatusNotAcceptable, map[string]any{"error": apiErr(CodeNotAcceptable,
			"%s has no CSV form; accept application/json", r.URL.Path)})
	default:
		writeJSON(w, http.StatusOK, v)
	}
}

// csvWanted reads an Accept header. prefer is true when text/csv is listed
// with a q at least that of application/json, or JSON is not listed by
// name (wildcards never choose CSV). only is true when, besides text/csv,
// nothing JSON satisfies (application/json, application/*, */*) is
// acceptable; an empty or malformed element is ignored.
func csvWanted(accept string) (prefer, only bool) {
	csvQ, jsonQ, anyQ := -1.0, -1.0, -1.0 // -1: not listed
	for _, elem := range strings.Split(accept, ",") {
		typ, params, _ := strings.Cut(elem, ";")
		typ = strings.ToLower(strings.TrimSpace(typ))
		q, ok := qValue(params)
		if typ == "" || !ok {
			continue
		}
		switch typ {
		case "text/csv":
			csvQ = max(csvQ, q)
		case "application/json":
			jsonQ = max(jsonQ, q)
		case "application/*", "*/*":
			anyQ = max(anyQ, q)
		}
	}
	prefer = csvQ > 0 && csvQ >= jsonQ
	only = prefer && jsonQ <= 0 && anyQ <= 0
	return prefer, only
}

// qValue is the q parameter of a media range's parameters (1 without it);
// ok is false when q is not a number in [0, 1].
func qValue(params string) (float64, bool) {
	for _, p := range strings.Split(params, ";") {
		k, v, _ := strings.Cut(p, "=")
		if !strings.EqualFold(strings.TrimSpace(k), "q") {
			continue
		}
		q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || q < 0 || q > 1 {
			return 0, false
		}
		return q, true
	}
	return 1, true
}

// csvFilename names the download after the route below /v1/analytics/:
// /v1/analytics/journeys/welcome/report is journeys-welcome-report.csv.
func csvFilename(path string) string {
	name := strings.Trim(strings.TrimPrefix(path, "/v1/analytics/"), "/")
	name = strings.Map(func(c rune) rune {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_', c == '.':
			return c
		case c == '/':
			return '-'
		}
		return '_'
	}, name)
	if name == "" {
		name = "analytics"
	}
	return name + ".csv"
}

// Cell formatting shared by the tables.

func fnum(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

func inum[T ~int | ~int64](x T) string { return strconv.FormatInt(int64(x), 10) }

// optNum is "" for nil.
func optNum(x *float64) string {
	if x == nil {
		return ""
	}
	return fnum(*x)
}

// stamp is RFC 3339, "" for the zero time.
func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

// text is a cell from the data (event, stage, template, profile names): one
// starting with = + - @ or a control character gets a leading ' so that a
// spreadsheet does not run it as a formula.
func text(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
