// Package template is Cairn's message-template model: a per-channel set of
// Liquid parts (an email's subject, html and text; an SMS body; a webhook's
// JSON body and headers, ...) rendered over a customer's profile when a journey
// sends a message.
//
// The life of a template:
//
//	t, err := template.Parse(data)  // JSON (canonical) or YAML; unknown fields rejected
//	err = t.Validate()              // a *ValidationError listing every problem
//	c, err := template.Compile(t)   // validates and parses the Liquid once
//	out, err := c.Render(vars)      // safe for concurrent use; *RenderError on failure
//
// Rendering uses github.com/osteele/liquid with Cairn's rules on top:
//
//   - Strict variables. A reference to something that does not exist — an
//     absent key, a null, an index out of range, an unknown top-level name —
//     is a render error naming the part, the line and the variable, never a
//     silently blank message. The default filter accepts it
//     ({{ profile.first_name | default: "there" }}) and so do tests:
//     {% if %}, {% elsif %}, {% unless %}, {% case %} and comparisons treat
//     it as nil, a missing collection contains nothing, and a for loop over it
//     runs zero times (taking its else branch). Any other filter handed a
//     missing or nil value fails.
//   - Escaping by context. In an email's html and a direct-mail body every
//     {{ }} is HTML-escaped; in a webhook body it is escaped as JSON string
//     content, and the rendered body must be valid JSON. Text parts (subject,
//     text, SMS, push, in-app, task, headers, data) are not escaped. The safe
//     filter marks trusted markup ({{ snippet | safe }}); what a capture block
//     captured is trusted (it was escaped as it was captured); escape,
//     escape_once and newline_to_br produce markup that is not escaped twice;
//     json produces a JSON value, raw in a webhook body and escaped in HTML.
//   - No file access: the include tag is rejected.
//   - Limits: a part may run MaxLoopIterations loop iterations, and no part or
//     filter result may exceed MaxOutputSize bytes or MaxArrayLen items, so a
//     slip in a template fails one render instead of stalling the sender.
//   - Validation knows the filters and tags: an unknown filter, a stray "{{",
//     a Liquid syntax error or an unclosed block is reported with its part and
//     line and how to fix it.
//
// The render context is Vars; in templates its fields are the variables
// profile, event, entry, journey, message and now (see Vars).
//
// For email delivery, RewriteLinks wraps <a href> links for click tracking,
// AddOpenPixel appends an open-tracking pixel and HTMLToText derives the
// plain-text alternative (Render does this itself when an email template has
// no text part).
//
// How it works: the render context is wrapped in values that implement the
// library's values.Value interface and return a sentinel for anything
// missing (strict.go); every library filter is wrapped to refuse the sentinel
// (engine.go); and each part's source is rewritten before compilation, keeping
// its line numbers, so that every {{ }} ends in an output filter that checks
// and escapes, every if/elsif/unless condition goes through a filter that
// knows the sentinel is false, and every loop body counts its iterations
// (rewrite.go).
package template
