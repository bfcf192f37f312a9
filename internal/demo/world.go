package demo

import (
	"math"
	"strconv"
	"time"
)

// Units of plan time: seconds since the start of the data.
const (
	minute = 60
	hour   = 3600
	day    = 86400
	week   = 7 * day
	never  = math.MaxUint32
)

// The planted parameters (see Truth and docs/demo.md).
const (
	bgR     = 0.25 // BG/NBD: purchase rate λ ~ Gamma(shape r, rate α), per week
	bgAlpha = 4.0
	bgA     = 0.8 // BG/NBD: dropout probability p ~ Beta(a, b)
	bgB     = 2.5
	ggP     = 6.0 // Gamma-Gamma: order value z ~ Gamma(shape p, rate ν)
	ggQ     = 4.0 // ν ~ Gamma(shape q, rate γ)
	ggGamma = 60.0

	controlShare   = 0.15 // direct-mail holdout share
	mailLift       = 0.25 // relative lift of the 30-day first-purchase probability
	mailWindowDays = 30
	baseConversion = 0.07 // 30-day first-purchase probability of a control customer in a neutral month
	waveEveryDays  = 30
	firstWaveDay   = 10
	waveHourUTC    = 14
	maxJitter      = 6 * hour

	campaignEveryDays = 7
	campaignHourUTC   = 15

	maxOrders = 999 // orders per customer (order numbers are three digits)
)

// waveSeason scales the base conversion by the month a catalog wave lands in.
var waveSeason = [12]float64{0.7, 0.8, 1.0, 1.0, 1.1, 1.2, 1.2, 1.1, 0.9, 0.9, 1.6, 1.5}

// world holds what every customer shares: the window, the calendars of catalog
// waves, email campaigns and vendor batches, and per-day seasonality.
type world struct {
	cfg       Config
	seed      uint64
	startMs   int64
	endMs     int64
	startSec  int64
	span      uint32 // seconds from start to end
	dayMonth  []uint8
	daySeason []float64
	seasonMax float64
	waves     []uint32 // nominal catalog delivery times
	waveRate  []float64
	waveIDs   []string // "cat-2024-05"
	waveNames []string // "NTO Summer 2024 Catalog"
	campaigns []uint32 // email send times
	campIDs   []string // "cmp-0042"
	campNames []string // "2024-05-memorial-day-camping-sale-w2"
	subjects  []string
	vendor    []uint32 // vendor append batch times
	dayMIdx   []uint16 // index into months per day
	months    []monthInfo
	teams     int
}

// monthInfo names a calendar month of the window for campaigns and UTM tags.
type monthInfo struct {
	slug  string // "2024-05-memorial-day-camping-sale"
	title string // "Memorial Day Camping Sale"
	ym    string // "2024-05"
}

func newWorld(cfg Config) *world {
	w := &world{cfg: cfg, seed: cfg.Seed}
	start := cfg.Start()
	w.startMs = start.UnixMilli()
	w.endMs = cfg.End.UnixMilli()
	w.startSec = floorDiv(w.startMs, 1000)
	w.span = uint32((w.endMs - w.startMs) / 1000)
	days := cfg.Days + 1
	w.dayMonth = make([]uint8, days)
	w.daySeason = make([]float64, days)
	w.dayMIdx = make([]uint16, days)
	for d := range days {
		t := start.Add(time.Duration(d)*24*time.Hour + 12*time.Hour)
		m := int(t.Month()) - 1
		s := monthWeight[m]
		switch {
		case m == 10 && t.Day() >= 24, m == 11 && t.Day() <= 2: // Black Friday to Cyber Monday
			s *= 1.4
		case m == 11 && t.Day() <= 20: // holiday shopping
			s *= 1.15
		}
		s *= 0.85 + 0.3*float64(d)/float64(days) // growth over the window
		w.dayMonth[d] = uint8(m)
		ym := t.Format("2006-01")
		if len(w.months) == 0 || w.months[len(w.months)-1].ym != ym {
			w.months = append(w.months, monthInfo{slug: ym + "-" + monthThemes[m].slug, title: monthThemes[m].title, ym: ym})
		}
		w.dayMIdx[d] = uint16(len(w.months) - 1)
		w.daySeason[d] = s
		w.seasonMax = max(w.seasonMax, s)
	}
	for t := uint32(firstWaveDay*day + waveHourUTC*hour); t < w.span; t += waveEveryDays * day {
		w.waves = append(w.waves, t)
		w.waveRate = append(w.waveRate, baseConversion*waveSeason[w.month(t)])
		mi := w.monthOf(t)
		w.waveIDs = append(w.waveIDs, "cat-"+mi.ym)
		w.waveNames = append(w.waveNames, "NTO "+seasonName[w.month(t)]+" "+mi.ym[:4]+" Catalog")
	}
	for t := uint32(2*day + campaignHourUTC*hour); t < w.span; t += campaignEveryDays * day {
		c := len(w.campaigns)
		mi := w.monthOf(t)
		wk := int(w.ms(t)/1000/day%31)/7 + 1
		w.campaigns = append(w.campaigns, t)
		w.campIDs = append(w.campIDs, "cmp-"+pad3(c+1))
		w.campNames = append(w.campNames, mi.slug+"-w"+strconv.Itoa(wk))
		w.subjects = append(w.subjects, mi.title+": "+subjectLines[c%len(subjectLines)])
	}
	// Vendor batches land on the 3rd of each month at 07:00 UTC.
	y, m, _ := start.Date()
	for {
		b := time.Date(y, m, 3, 7, 0, 0, 0, time.UTC)
		m++
		if b.Before(start) {
			continue
		}
		off := b.UnixMilli() - w.startMs
		if off/1000 >= int64(w.span) {
			break
		}
		w.vendor = append(w.vendor, uint32(off/1000))
	}
	w.teams = max(3, cfg.Customers/800)
	return w
}

// month returns the month (0..11) of plan time t.
func (w *world) month(t uint32) int {
	d := int(t / day)
	if d >= len(w.dayMonth) {
		d = len(w.dayMonth) - 1
	}
	return int(w.dayMonth[d])
}

// monthOf returns the calendar month of the window that contains t.
func (w *world) monthOf(t uint32) *monthInfo {
	d := int(t / day)
	if d >= len(w.dayMIdx) {
		d = len(w.dayMIdx) - 1
	}
	return &w.months[w.dayMIdx[d]]
}

var seasonName = [12]string{"Winter", "Winter", "Spring", "Spring", "Summer", "Summer", "Summer", "Fall", "Fall", "Fall", "Holiday", "Holiday"}

var subjectLines = [...]string{
	"new arrivals picked for you", "up to 30% off trail favorites", "gear up for the weekend",
	"our experts' top picks", "members save more this week", "last chance: deals end Sunday",
}

// season returns the traffic multiplier at plan time t.
func (w *world) season(t uint32) float64 {
	d := int(t / day)
	if d >= len(w.daySeason) {
		d = len(w.daySeason) - 1
	}
	return w.daySeason[d]
}

// localHour returns the hour of day at plan time t in a UTC offset.
func (w *world) localHour(t uint32, offset int) int {
	s := w.startSec + int64(t) + int64(offset)*hour
	return int((s%day + day) % day / hour)
}

// ms converts plan time to Unix milliseconds.
func (w *world) ms(t uint32) int64 { return w.startMs + int64(t)*1000 }

// delivery returns when wave k lands for a customer with the given jitter.
func (w *world) delivery(k int, jitter uint32) uint32 { return w.waves[k] + jitter }

// shapeHour moves a candidate time so activity follows local daily rhythm:
// it rejection-samples times in [lo, hi) against weights by local hour.
func (w *world) shapeHour(g *rng, lo, hi uint32, offset int, weights *[24]float64) uint32 {
	if hi <= lo+1 {
		return lo
	}
	var t uint32
	for range 12 {
		t = lo + uint32(g.Float64()*float64(hi-lo))
		if g.Float64() < weights[w.localHour(t, offset)] {
			return t
		}
	}
	return t
}

// atLocalHour returns a time on the same day as t whose local hour is drawn
// from weights (used for events that happen "some time that day").
func (w *world) atLocalHour(g *rng, t uint32, offset int, weights *[24]float64) uint32 {
	dayStart := t - t%day
	return w.shapeHour(g, dayStart, dayStart+day, offset, weights)
}
