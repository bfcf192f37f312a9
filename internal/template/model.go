package template

import (
	"maps"
	"slices"
	"strings"
)

// Channels a template can be written for.
const (
	ChannelEmail      = "email"
	ChannelSMS        = "sms"
	ChannelPush       = "push"
	ChannelInApp      = "inapp"
	ChannelWebhook    = "webhook"
	ChannelDirectMail = "direct_mail"
	ChannelTask       = "task"
)

// Part names, as they appear in JSON, in errors and in RenderError.Part.
// Entries of Data and Headers are named "data.<key>" and "headers.<name>".
const (
	PartSubject = "subject"
	PartHTML    = "html"
	PartText    = "text"
	PartTitle   = "title"
	PartBody    = "body"
	PartData    = "data"
	PartHeaders = "headers"
)

// Template is a per-channel set of Liquid parts. Which parts a channel uses:
//
//	email:       subject (required), html and/or text (one required; a missing
//	             text is derived from the rendered html)
//	sms:         body (required)
//	push, inapp: title, body (required), data (a map of string templates)
//	webhook:     body (required; a JSON template whose output must be valid
//	             JSON), headers (a map of string templates)
//	direct_mail: body (required; HTML)
//	task:        body (required; the reason shown to the agent)
type Template struct {
	ID            string            `json:"id" yaml:"id"`
	Name          string            `json:"name" yaml:"name"`
	Channel       string            `json:"channel" yaml:"channel"`
	Subject       string            `json:"subject,omitempty" yaml:"subject,omitempty"`
	HTML          string            `json:"html,omitempty" yaml:"html,omitempty"`
	Text          string            `json:"text,omitempty" yaml:"text,omitempty"`
	Title         string            `json:"title,omitempty" yaml:"title,omitempty"`
	Body          string            `json:"body,omitempty" yaml:"body,omitempty"`
	Data          map[string]string `json:"data,omitempty" yaml:"data,omitempty"`
	Headers       map[string]string `json:"headers,omitempty" yaml:"headers,omitempty"`
	Transactional bool              `json:"transactional,omitempty" yaml:"transactional,omitempty"` // exempt from marketing frequency caps
	Tags          []string          `json:"tags,omitempty" yaml:"tags,omitempty"`
}

// Clone returns a deep copy of t.
func (t *Template) Clone() *Template {
	c := *t
	c.Data = maps.Clone(t.Data)
	c.Headers = maps.Clone(t.Headers)
	c.Tags = slices.Clone(t.Tags)
	return &c
}

// Channels returns the known channel names, sorted.
func Channels() []string {
	return slices.Sorted(maps.Keys(channelSpecs))
}

// outputMode is how a part escapes what {{ }} prints.
type outputMode int

const (
	modeText outputMode = iota
	modeHTML
	modeJSON
)

// channelSpec says which parts a channel allows and needs.
type channelSpec struct {
	parts    []string // scalar parts allowed
	required []string // scalar parts that must be non-blank
	anyOf    []string // at least one of these must be non-blank
	data     bool     // Data allowed
	headers  bool     // Headers allowed
	modes    map[string]outputMode
}

var channelSpecs = map[string]channelSpec{
	ChannelEmail: {
		parts:    []string{PartSubject, PartHTML, PartText},
		required: []string{PartSubject},
		anyOf:    []string{PartHTML, PartText},
		modes:    map[string]outputMode{PartHTML: modeHTML},
	},
	ChannelSMS:        {parts: []string{PartBody}, required: []string{PartBody}},
	ChannelPush:       {parts: []string{PartTitle, PartBody}, required: []string{PartBody}, data: true},
	ChannelInApp:      {parts: []string{PartTitle, PartBody}, required: []string{PartBody}, data: true},
	ChannelWebhook:    {parts: []string{PartBody}, required: []string{PartBody}, headers: true, modes: map[string]outputMode{PartBody: modeJSON}},
	ChannelDirectMail: {parts: []string{PartBody}, required: []string{PartBody}, modes: map[string]outputMode{PartBody: modeHTML}},
	ChannelTask:       {parts: []string{PartBody}, required: []string{PartBody}},
}

// scalarParts lists every scalar part in a fixed order.
var scalarParts = []string{PartSubject, PartHTML, PartText, PartTitle, PartBody}

// part returns the source of the named scalar part.
func (t *Template) part(name string) string {
	switch name {
	case PartSubject:
		return t.Subject
	case PartHTML:
		return t.HTML
	case PartText:
		return t.Text
	case PartTitle:
		return t.Title
	case PartBody:
		return t.Body
	}
	return ""
}

// partSource is one Liquid source of a template.
type partSource struct {
	name   string // "html", "data.key", "headers.X-Name"
	key    string // map key for data/headers entries
	group  string // "", PartData or PartHeaders
	source string
	mode   outputMode
}

// sources lists the template's non-blank parts that its channel allows, in a
// stable order.
func (t *Template) sources(spec channelSpec) []partSource {
	var out []partSource
	for _, name := range scalarParts {
		src := t.part(name)
		if isBlank(src) || !slices.Contains(spec.parts, name) {
			continue
		}
		out = append(out, partSource{name: name, source: src, mode: spec.modes[name]})
	}
	if spec.data {
		for _, k := range slices.Sorted(maps.Keys(t.Data)) {
			out = append(out, partSource{name: PartData + "." + k, key: k, group: PartData, source: t.Data[k]})
		}
	}
	if spec.headers {
		for _, k := range slices.Sorted(maps.Keys(t.Headers)) {
			out = append(out, partSource{name: PartHeaders + "." + k, key: k, group: PartHeaders, source: t.Headers[k]})
		}
	}
	return out
}

func isBlank(s string) bool { return strings.TrimSpace(s) == "" }
