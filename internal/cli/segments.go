package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
)

const segmentsUsage = `usage: cairn segments VERB [flags]
  create -f FILE | --text "..." [--name N] [--description D]   save a new segment
  update ID -f FILE | --text "..." [--name N] [--description D] save a new version
  list                                                        list segments
  get ID                                                      print a segment
  versions ID                                                 print every version of a segment
  delete ID                                                   delete a segment
  preview -f FILE | --text "..." [--sample N]                 estimate size and sample members without saving
FILE is the definition: JSON (.json), YAML (.yaml, .yml) or the text form (.txt).`

// segmentForm holds the flags that carry a definition.
type segmentForm struct {
	file, text, name, description *string
	descriptionSet                bool
}

// body builds the request body of create, update and preview.
func (f *segmentForm) body(needName bool) (map[string]any, error) {
	body := map[string]any{}
	switch {
	case *f.file != "" && *f.text != "":
		return nil, errors.New("give either -f FILE or --text, not both")
	case *f.text != "":
		body["text"] = *f.text
	case *f.file != "":
		b, err := os.ReadFile(*f.file)
		if err != nil {
			return nil, fmt.Errorf("read definition: %w", err)
		}
		switch ext := strings.ToLower(filepath.Ext(*f.file)); ext {
		case ".json":
			if !json.Valid(b) {
				return nil, fmt.Errorf("%s is not valid JSON; a definition is one JSON object such as {\"everyone\":true}", *f.file)
			}
			body["definition"] = json.RawMessage(b)
		case ".yaml", ".yml":
			body["yaml"] = string(b)
		case ".txt":
			body["text"] = string(b)
		default:
			return nil, fmt.Errorf("%s: unknown extension %q; name the file .json, .yaml, .yml or .txt (text form)", *f.file, ext)
		}
		if *f.name == "" && needName {
			*f.name = strings.TrimSuffix(filepath.Base(*f.file), filepath.Ext(*f.file))
		}
	default:
		return nil, errors.New("give the definition with -f FILE (.json, .yaml, .txt) or --text \"...\"")
	}
	if *f.name != "" {
		body["name"] = *f.name
	} else if needName {
		return nil, errors.New("--name is required with --text")
	}
	if f.descriptionSet {
		body["description"] = *f.description
	}
	return body, nil
}

func runSegments(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, segmentsUsage)
		return 2
	}
	verb, args := args[0], args[1:]
	fs := flag.NewFlagSet("segments "+verb, flag.ContinueOnError)
	fs.SetOutput(stderr)
	newClient := clientFlags(fs)
	asJSON := fs.Bool("json", false, "print the raw API response")
	form := segmentForm{
		file:        fs.String("f", "", "definition file: .json, .yaml/.yml or .txt (text form)"),
		text:        fs.String("text", "", "definition in the text form"),
		name:        fs.String("name", "", "segment name (create: defaults to the file name)"),
		description: fs.String("description", "", "segment description"),
	}
	sample := fs.Int("sample", 1000, "profiles to evaluate (preview, at most 10000)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return 2
	}
	fs.Visit(func(f *flag.Flag) { form.descriptionSet = form.descriptionSet || f.Name == "description" })
	c := newClient()
	var id string
	switch verb {
	case "update", "get", "versions", "delete":
		if len(pos) < 1 {
			fmt.Fprintf(stderr, "usage: cairn segments %s ID\n", verb)
			return 2
		}
		id = url.PathEscape(pos[0])
	}
	switch verb {
	case "create", "update":
		body, err := form.body(verb == "create")
		if err != nil {
			return fail(stderr, err)
		}
		method, path := "POST", "/v1/segments"
		if verb == "update" {
			method, path = "PUT", path+"/"+id
		}
		var seg struct {
			ID      string `json:"id"`
			Name    string `json:"name"`
			Version int    `json:"version"`
		}
		raw, err := c.do(ctx, method, path, body, &seg)
		if err != nil {
			return fail(stderr, err)
		}
		if *asJSON {
			printJSON(stdout, raw)
			return 0
		}
		fmt.Fprintln(stdout, seg.ID)
		fmt.Fprintf(stderr, "saved segment %q version %d; the line above is its id\n", seg.Name, seg.Version)
		return 0
	case "list":
		return listSegments(ctx, c, *asJSON, stdout, stderr)
	case "get", "versions":
		path := "/v1/segments/" + id
		if verb == "versions" {
			path += "/versions"
		}
		raw, err := c.do(ctx, "GET", path, nil, nil)
		if err != nil {
			return fail(stderr, err)
		}
		printJSON(stdout, raw)
		return 0
	case "delete":
		if _, err := c.do(ctx, "DELETE", "/v1/segments/"+id, nil, nil); err != nil {
			return fail(stderr, err)
		}
		fmt.Fprintln(stderr, "deleted")
		return 0
	case "preview":
		return previewSegment(ctx, c, &form, *sample, *asJSON, stdout, stderr)
	}
	fmt.Fprintf(stderr, "cairn segments: unknown verb %q\n%s\n", verb, segmentsUsage)
	return 2
}

func listSegments(ctx context.Context, c *client, asJSON bool, stdout, stderr io.Writer) int {
	var out struct {
		Segments []struct {
			ID      string `json:"id"`
			Name    string `json:"name"`
			Version int    `json:"version"`
			Status  string `json:"status"`
			Text    string `json:"text"`
		} `json:"segments"`
	}
	raw, err := c.do(ctx, "GET", "/v1/segments", nil, &out)
	if err != nil {
		return fail(stderr, err)
	}
	if asJSON {
		printJSON(stdout, raw)
		return 0
	}
	tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tVERSION\tSTATUS\tDEFINITION")
	for _, s := range out.Segments {
		text := s.Text
		if len(text) > 60 {
			text = text[:57] + "..."
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\n", s.ID, s.Name, s.Version, s.Status, text)
	}
	tw.Flush()
	return 0
}

func previewSegment(ctx context.Context, c *client, form *segmentForm, sample int, asJSON bool, stdout, stderr io.Writer) int {
	body, err := form.body(false)
	if err != nil {
		return fail(stderr, err)
	}
	var res struct {
		Evaluated     int      `json:"evaluated"`
		Matched       int      `json:"matched"`
		TotalProfiles int64    `json:"total_profiles"`
		EstimatedSize int64    `json:"estimated_size"`
		SampleMembers []string `json:"sample_members"`
	}
	raw, err := c.do(ctx, "POST", "/v1/segments/preview?sample="+fmt.Sprint(sample), body, &res)
	if err != nil {
		return fail(stderr, err)
	}
	if asJSON {
		printJSON(stdout, raw)
		return 0
	}
	fmt.Fprintf(stdout, "matched %d of %d profiles evaluated; estimated size %d of %d profiles\n",
		res.Matched, res.Evaluated, res.EstimatedSize, res.TotalProfiles)
	for _, id := range res.SampleMembers {
		fmt.Fprintln(stdout, id)
	}
	return 0
}
