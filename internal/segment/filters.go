package segment

import "time"

// DecodeFilters validates a list of property filters found at path, the
// same form performed.where takes, as decoded by encoding/json with
// UseNumber. Other engines (journeys) use it for their event matchers so
// one filter language serves everything.
func DecodeFilters(path string, v any) ([]Filter, error) {
	if v == nil {
		return nil, nil
	}
	return decodeFilters(path, map[string]any{"where": v}, "where")
}

// MatchFilters reports whether e passes every filter (an empty list passes).
func MatchFilters(fs []Filter, e *Event, now time.Time) bool { return filtersMatch(fs, e, now) }

// DecodeNode validates one condition node found at path (a journey split's
// condition), with the same rules as a segment definition's root.
func DecodeNode(path string, v any) (*Definition, error) {
	d := decoder{}
	root, err := d.node(path, v, 1)
	if err != nil {
		return nil, err
	}
	return &Definition{Root: root}, nil
}
