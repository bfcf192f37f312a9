package importer

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/cairn-cdp/cairn/internal/clock"
)

// Redraw intervals of the progress display.
const (
	ttyEvery  = 200 * time.Millisecond
	lineEvery = 5 * time.Second
)

// progressBar draws progress on stderr: a bar redrawn in place on a
// terminal, otherwise a plain line every few seconds (logs, CI).
type progressBar struct {
	w     io.Writer
	tty   bool
	clk   clock.Clock
	next  time.Time
	drawn bool
}

func (p *progressBar) start() {
	every := lineEvery
	if p.tty {
		every = ttyEvery
	}
	p.next = p.clk.Now().Add(every)
}

func (p *progressBar) update(pr Progress) {
	if pr.Done {
		p.clear()
		return
	}
	now := p.clk.Now()
	if now.Before(p.next) {
		return
	}
	if p.tty {
		p.next = now.Add(ttyEvery)
		fmt.Fprintf(p.w, "\r\x1b[K%s", formatProgress(pr, true))
		p.drawn = true
		return
	}
	p.next = now.Add(lineEvery)
	fmt.Fprintf(p.w, "import: %s\n", formatProgress(pr, false))
}

// message prints a line above the bar; "" only clears the bar.
func (p *progressBar) message(s string) {
	p.clear()
	if s != "" {
		fmt.Fprintln(p.w, s)
	}
}

func (p *progressBar) clear() {
	if p.drawn {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.drawn = false
	}
}

const barWidth = 24

func formatProgress(pr Progress, bar bool) string {
	var b strings.Builder
	if pr.BytesTotal > 0 {
		frac := min(float64(pr.BytesRead)/float64(pr.BytesTotal), 1)
		if bar {
			filled := int(frac * barWidth)
			b.WriteString("[" + strings.Repeat("=", filled) + strings.Repeat(" ", barWidth-filled) + "] ")
		}
		fmt.Fprintf(&b, "%3.0f%%  ", frac*100)
	}
	fmt.Fprintf(&b, "%s rows  %s rows/s", commas(pr.Rows), commas(int64(pr.RowsPerSec)))
	if pr.BytesTotal > 0 && pr.ETA > 0 {
		b.WriteString("  ETA " + formatETA(pr.ETA))
	} else if pr.BytesTotal == 0 {
		b.WriteString("  " + humanBytes(pr.BytesRead) + " read")
	}
	if pr.Rejected > 0 {
		fmt.Fprintf(&b, "  %s rejected", commas(pr.Rejected))
	}
	return b.String()
}

func formatETA(d time.Duration) string {
	s := int64(d.Round(time.Second) / time.Second)
	switch {
	case s < 60:
		return fmt.Sprintf("%ds", s)
	case s < 3600:
		return fmt.Sprintf("%dm%02ds", s/60, s%60)
	}
	return fmt.Sprintf("%dh%02dm", s/3600, s%3600/60)
}

// commas writes n with thousands separators: 1234567 -> "1,234,567".
func commas(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func humanBytes(n int64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %cB", float64(n)/float64(div), "kMGTPE"[exp])
}
