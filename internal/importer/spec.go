package importer

import (
	"flag"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
)

// Formats a Spec accepts.
const (
	FormatCSV   = "csv"
	FormatJSONL = "jsonl"
)

// Kinds of call a flat row becomes.
const (
	KindIdentify = "identify"
	KindTrack    = "track"
)

// Identifier types the id column can hold.
const (
	IDUserID      = "user_id"
	IDEmail       = "email"
	IDAnonymousID = "anonymous_id"
)

// Spec says how rows become events. The zero value of every field but
// SourceName and IDColumn has a sensible default.
type Spec struct {
	// Format is csv or jsonl; "" detects it from the content ('{' starts JSON Lines).
	Format string
	// Kind is identify or track; "" means track when Event or EventColumn is
	// set, else identify.
	Kind string
	// Map maps a column (CSV header name, or JSON key of a flat JSONL row) to a
	// target: a dotted path under traits (identify) or properties (track),
	// "userId", "anonymousId", or "context.<path>". A target may end in a type,
	// ":string", ":int", ":float" or ":bool" (Age -> "age:int"). With an empty
	// Map every column except the id, event and timestamp columns is imported
	// under its own name.
	Map map[string]string
	// IDColumn is the column holding the identifier of each flat row.
	IDColumn string
	// IDType says which identifier IDColumn holds: user_id (default), email or anonymous_id.
	IDType string
	// Event is the fixed event name of track rows.
	Event string
	// EventColumn is the column holding each track row's event name.
	EventColumn string
	// TimestampColumn is the column holding the event time; without it the
	// events carry no timestamp and the server uses the time it receives them.
	TimestampColumn string
	// TimeFormat is a Go layout for TimestampColumn; "" accepts RFC 3339 (with or
	// without zone; zoneless times are UTC), YYYY-MM-DD and unix seconds or
	// milliseconds.
	TimeFormat string
	// Delimiter separates CSV fields; 0 picks the most frequent of , ; tab |
	// in the header line.
	Delimiter rune
	// SourceName is the source the events are imported into; it is part of every messageId.
	SourceName string
}

// RegisterFlags binds the spec to the `cairn import` flags.
func (s *Spec) RegisterFlags(fs *flag.FlagSet) {
	fs.StringVar(&s.SourceName, "source", s.SourceName, "source `NAME` to import into (required)")
	fs.StringVar(&s.Format, "format", s.Format, "input format: csv or jsonl (default: from the file name, else the content)")
	fs.StringVar(&s.Kind, "kind", s.Kind, "identify or track (default: track when --event or --event-column is set)")
	fs.Var(&mapFlag{m: &s.Map}, "map", "column mapping `COLUMN=PATH[:TYPE],...` (repeatable); TYPE is string, int, float or bool")
	fs.StringVar(&s.IDColumn, "id-column", s.IDColumn, "`COLUMN` holding each row's identifier")
	fs.StringVar(&s.IDType, "id-type", s.IDType, "identifier in --id-column: user_id (default), email or anonymous_id")
	fs.StringVar(&s.Event, "event", s.Event, "fixed event `NAME` for track rows")
	fs.StringVar(&s.EventColumn, "event-column", s.EventColumn, "`COLUMN` holding each track row's event name")
	fs.StringVar(&s.TimestampColumn, "timestamp-column", s.TimestampColumn, "`COLUMN` holding the event time")
	fs.StringVar(&s.TimeFormat, "time-format", s.TimeFormat, "Go time `LAYOUT` of --timestamp-column (default: RFC 3339, YYYY-MM-DD or unix seconds/millis)")
	fs.Var(&delimFlag{d: &s.Delimiter}, "delimiter", "CSV field delimiter: one character, or \"tab\" (default: detected from the header)")
}

// withDefaults returns s with Kind and IDType filled in.
func (s Spec) withDefaults() Spec {
	if s.Kind == "" {
		s.Kind = KindIdentify
		if s.Event != "" || s.EventColumn != "" {
			s.Kind = KindTrack
		}
	}
	if s.IDType == "" {
		s.IDType = IDUserID
	}
	return s
}

// Validate reports options that contradict each other. It does not look at
// the file; unknown columns are found when the header is read.
func (s Spec) Validate() error {
	s = s.withDefaults()
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrInvalidSpec, fmt.Sprintf(format, args...))
	}
	switch {
	case strings.TrimSpace(s.SourceName) == "":
		return bad("a source name is required (--source NAME); it is part of every messageId")
	case s.Format != "" && s.Format != FormatCSV && s.Format != FormatJSONL:
		return bad("format %q: use csv or jsonl", s.Format)
	case s.Kind != KindIdentify && s.Kind != KindTrack:
		return bad("kind %q: use identify or track", s.Kind)
	case s.IDType != IDUserID && s.IDType != IDEmail && s.IDType != IDAnonymousID:
		return bad("id type %q: use user_id, email or anonymous_id", s.IDType)
	case s.Kind == KindTrack && s.Event == "" && s.EventColumn == "":
		return bad("track rows need an event name: --event NAME or --event-column COLUMN")
	case s.Event != "" && s.EventColumn != "":
		return bad("give either --event or --event-column, not both")
	case s.Kind == KindIdentify && (s.Event != "" || s.EventColumn != ""):
		return bad("--event and --event-column apply to track rows; drop them or use --kind track")
	case len(s.Map) > 0 && s.IDColumn == "":
		return bad("--map needs --id-column: the column holding each row's identifier")
	}
	if s.Delimiter != 0 {
		if err := checkDelimiter(s.Delimiter); err != nil {
			return bad("%s", err)
		}
	}
	for col, target := range s.Map {
		if _, err := parseTarget(target); err != nil {
			return bad("--map %s=%s: %s", col, target, err)
		}
	}
	return nil
}

func checkDelimiter(d rune) error {
	if d >= 0x80 || d == '"' || d == '\n' || d == '\r' || d == 0 {
		return fmt.Errorf("delimiter %q: use one ASCII character other than a quote or newline", d)
	}
	return nil
}

// FormatFromName guesses the format and delimiter from a file name
// (".csv", ".tsv", ".jsonl", ".ndjson", ".json", each optionally ".gz").
// It returns "" and 0 when the name says nothing.
func FormatFromName(name string) (format string, delimiter rune) {
	name = strings.ToLower(name)
	for _, z := range []string{".gz", ".gzip"} {
		name = strings.TrimSuffix(name, z)
	}
	switch filepath.Ext(name) {
	case ".csv":
		return FormatCSV, 0
	case ".tsv", ".tab":
		return FormatCSV, '\t'
	case ".jsonl", ".ndjson", ".json":
		return FormatJSONL, 0
	}
	return "", 0
}

// ParseMap parses a --map value: comma-separated COLUMN=PATH[:TYPE] items.
// A column name containing a comma or '=' is written in double quotes
// ("Last, First"=name); a doubled quote inside stands for one quote.
func ParseMap(s string, into map[string]string) error {
	for len(s) > 0 {
		var col string
		if s[0] == '"' {
			var b strings.Builder
			i := 1
			for {
				if i >= len(s) {
					return fmt.Errorf("--map: unclosed quote in %q", s)
				}
				if s[i] == '"' {
					if i+1 < len(s) && s[i+1] == '"' {
						b.WriteByte('"')
						i += 2
						continue
					}
					i++
					break
				}
				b.WriteByte(s[i])
				i++
			}
			col, s = b.String(), s[i:]
			if !strings.HasPrefix(s, "=") {
				return fmt.Errorf("--map: expected '=' after the quoted column %q", col)
			}
		} else {
			eq := strings.IndexByte(s, '=')
			comma := strings.IndexByte(s, ',')
			if comma >= 0 && (eq < 0 || comma < eq) {
				item := strings.TrimSpace(s[:comma])
				if item == "" { // tolerate "a=b,,c=d" and a trailing comma
					s = s[comma+1:]
					continue
				}
				return fmt.Errorf("--map item %q has no '=': write COLUMN=PATH, e.g. Email=email", item)
			}
			if eq < 0 {
				if strings.TrimSpace(s) == "" {
					return nil
				}
				return fmt.Errorf("--map item %q has no '=': write COLUMN=PATH, e.g. Email=email", strings.TrimSpace(s))
			}
			col, s = strings.TrimSpace(s[:eq]), s[eq:]
		}
		s = s[1:] // the '='
		target := s
		if comma := strings.IndexByte(s, ','); comma >= 0 {
			target, s = s[:comma], s[comma+1:]
		} else {
			s = ""
		}
		target = strings.TrimSpace(target)
		if col == "" {
			return fmt.Errorf("--map item %q has an empty column name", "="+target)
		}
		if _, err := parseTarget(target); err != nil {
			return fmt.Errorf("--map %s=%s: %w", col, target, err)
		}
		if prev, dup := into[col]; dup && prev != target {
			return fmt.Errorf("--map: column %q is mapped twice (%s and %s)", col, prev, target)
		}
		into[col] = target
	}
	return nil
}

type mapFlag struct{ m *map[string]string }

func (f *mapFlag) String() string {
	if f.m == nil || len(*f.m) == 0 {
		return ""
	}
	items := make([]string, 0, len(*f.m))
	for k, v := range *f.m {
		items = append(items, k+"="+v)
	}
	slices.Sort(items)
	return strings.Join(items, ",")
}

func (f *mapFlag) Set(v string) error {
	if *f.m == nil {
		*f.m = make(map[string]string)
	}
	return ParseMap(v, *f.m)
}

type delimFlag struct{ d *rune }

func (f *delimFlag) String() string {
	if f.d == nil || *f.d == 0 {
		return ""
	}
	return string(*f.d)
}

func (f *delimFlag) Set(v string) error {
	switch strings.ToLower(v) {
	case "tab", `\t`:
		*f.d = '\t'
		return nil
	case "comma":
		*f.d = ','
		return nil
	case "semicolon":
		*f.d = ';'
		return nil
	case "pipe":
		*f.d = '|'
		return nil
	}
	r := []rune(v)
	if len(r) != 1 {
		return fmt.Errorf("delimiter %q: give one character, or tab", v)
	}
	if err := checkDelimiter(r[0]); err != nil {
		return err
	}
	*f.d = r[0]
	return nil
}
