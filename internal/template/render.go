package template

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Rendered is a template rendered for one message. Only the parts of the
// template's channel are set. For an email template without a text part,
// Text is derived from the rendered HTML with HTMLToText.
type Rendered struct {
	Subject string            `json:"subject,omitempty"`
	HTML    string            `json:"html,omitempty"`
	Text    string            `json:"text,omitempty"`
	Title   string            `json:"title,omitempty"`
	Body    string            `json:"body,omitempty"`
	Data    map[string]string `json:"data,omitempty"`
	Headers map[string]string `json:"headers,omitempty"`
}

// Render renders every part over vars. The first part that fails returns a
// *RenderError naming the part, the line and, for a missing variable (which
// matches ErrUndefinedVariable), the variable's path.
func (c *Compiled) Render(vars Vars) (Rendered, error) {
	var out Rendered
	rec := &recorder{}
	b := vars.bindings(rec)
	for _, p := range c.parts {
		s, err := p.render(b, rec)
		if err != nil {
			return Rendered{}, err
		}
		if err := out.set(p, s); err != nil {
			return Rendered{}, err
		}
	}
	if c.tmpl.Channel == ChannelEmail && isBlank(c.tmpl.Text) {
		out.Text = HTMLToText(out.HTML)
	}
	return out, nil
}

// set stores a rendered part, checking what its destination needs.
func (r *Rendered) set(p *compiledPart, s string) error {
	switch p.group {
	case PartData:
		if r.Data == nil {
			r.Data = map[string]string{}
		}
		r.Data[p.key] = s
		return nil
	case PartHeaders:
		if strings.ContainsAny(s, "\r\n\x00") {
			return &RenderError{Part: p.name, Message: "the rendered header value contains a line break or NUL; remove it (header injection)", kind: ErrInvalidOutput}
		}
		if r.Headers == nil {
			r.Headers = map[string]string{}
		}
		r.Headers[p.key] = strings.TrimSpace(s)
		return nil
	}
	switch p.name {
	case PartSubject:
		r.Subject = strings.TrimSpace(strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s))
	case PartHTML:
		r.HTML = s
	case PartText:
		r.Text = s
	case PartTitle:
		r.Title = s
	case PartBody:
		if p.mode == modeJSON {
			if err := checkJSON(s); err != nil {
				return &RenderError{Part: p.name, Message: err.Error(), kind: ErrInvalidOutput}
			}
		}
		r.Body = s
	}
	return nil
}

// checkJSON reports whether a rendered webhook body is one JSON value.
func checkJSON(s string) error {
	if json.Valid([]byte(s)) {
		return nil
	}
	dec := json.NewDecoder(strings.NewReader(s))
	var v any
	if err := dec.Decode(&v); err != nil {
		return fmt.Errorf("the rendered body is not valid JSON (%w); put {{ }} that print text inside quotes, or use | json for a JSON value", err)
	}
	return fmt.Errorf("the rendered body is not one JSON value: unexpected %q after offset %d; wrap it in one object or array", trimTo(s[dec.InputOffset():], 20), dec.InputOffset())
}

func trimTo(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// render renders one part. The bindings are copied by the library, so an
// assign in one part does not leak into the next.
func (p *compiledPart) render(b map[string]any, rec *recorder) (s string, err error) {
	defer func() {
		if r := recover(); r != nil { // a library bug must not take the process down
			if e, ok := r.(error); ok && errors.Is(e, errOutputTooLarge) {
				s, err = "", &RenderError{Part: p.name, Message: e.Error(), cause: e}
				return
			}
			s, err = "", &RenderError{Part: p.name, Message: fmt.Sprintf("the template engine failed: %v", r)}
		}
	}()
	b[budgetVar] = &budget{}
	w := limitWriter{max: MaxOutputSize}
	w.buf.Grow(len(p.source) + len(p.source)/2)
	if serr := p.tpl.FRender(&w, b); serr != nil {
		return "", p.renderError(serr)
	}
	if len(rec.printed) > 0 {
		path := rec.printed[0]
		rec.printed = rec.printed[:0]
		return "", &RenderError{Part: p.name, Line: lineOf(p.source, path), Variable: path,
			Message: p.undefinedMessage(path), kind: ErrUndefinedVariable}
	}
	return w.buf.String(), nil
}
