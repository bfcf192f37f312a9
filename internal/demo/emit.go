package demo

import (
	"strings"
)

// Device indexes for ids(): web browsers are 0..2, the app is appDev.
const (
	devNone      = -1 // no anonymousId
	devUndefined = -2 // a broken tag manager that sends anonymousId "undefined"
)

const siteURL = "https://www.nto.example"

// begin starts an event line: the envelope, type, messageId and timestamp.
// Events never precede their activity's key; an earlier time is clamped (and
// counted, so tests can insist on zero).
func (g *generator) begin(src sourceID, kind evKind, ts int64) *jsonWriter {
	if ts < g.keyMs {
		ts = g.keyMs
		g.clamped++
	}
	j := &g.j
	j.reset(g.takeBuf())
	j.b = append(j.b, sourcePrefix[src]...)
	j.obj()
	j.kStr("type", kinds[kind].typ)
	seq := g.c.seq
	g.c.seq++
	h := hash3(g.w.seed, streamMessage, uint64(g.ci), uint64(seq))
	j.key("messageId")
	j.rawStrStart()
	j.b = appendUUID(j.b, h, mix(h^0x5bd1e9955bd1e995))
	j.rawStrEnd()
	j.kTime("timestamp", ts)
	g.evTs, g.evKind, g.evSrc, g.evKey = ts, kind, src, uint64(g.ci)<<32|uint64(seq)
	return j
}

// call starts an event and writes its identifiers (and, for track, its name).
func (g *generator) call(src sourceID, kind evKind, ts int64, user bool, dev int) *jsonWriter {
	j := g.begin(src, kind, ts)
	g.ids(user, dev)
	if kinds[kind].typ == "track" {
		j.kStr("event", kinds[kind].name)
	}
	return j
}

func (g *generator) ids(user bool, dev int) {
	j := &g.j
	if user {
		j.key("userId")
		j.rawStrStart()
		j.b = appendUserID(j.b, g.ci)
		j.rawStrEnd()
	}
	switch {
	case dev == devUndefined:
		j.kStr("anonymousId", "undefined")
	case dev >= 0:
		j.key("anonymousId")
		j.rawStrStart()
		j.b = g.appendAnon(j.b, dev)
		j.rawStrEnd()
	}
}

func (g *generator) appendAnon(b []byte, dev int) []byte {
	h := hash3(g.w.seed, streamDevice, uint64(g.ci), uint64(dev))
	return appendUUID(b, h, mix(h^0x2545f4914f6cdd1d))
}

// finish closes the line and queues it; lines outside [start, end] are dropped.
func (g *generator) finish() {
	j := &g.j
	j.endObj()
	j.b = append(j.b, '}', '\n')
	if g.evTs < g.w.startMs || g.evTs > g.w.endMs {
		g.recycle(j.b)
		return
	}
	g.counts[g.evKind]++
	g.srcCounts[g.evSrc]++
	g.push(pending{ts: g.evTs, key: g.evKey, buf: j.b})
}

// --- contexts -------------------------------------------------------------

func (g *generator) locale() string {
	if g.c.l.has(fSpanish) {
		return "es-US"
	}
	return "en-US"
}

// webCtx writes the analytics.js context of a browser event; pg is the page
// the event happened on and prev the page before it (either may be nil).
func (g *generator) webCtx(dev int, pg, prev *page) {
	j := &g.j
	l := &g.c.l
	if dev < 0 {
		dev = 0
	}
	j.keyObj("context")
	j.key("ip")
	j.rawStrStart()
	j.b = g.appendIP(j.b, dev)
	j.rawStrEnd()
	j.keyObj("library")
	j.kStr("name", "analytics.js")
	j.kStr("version", "next-1.84.3")
	j.endObj()
	j.kStr("locale", g.locale())
	j.kStr("timezone", cities[l.city].tz)
	j.kStr("userAgent", webDevices[l.webKinds[dev%3]].ua)
	if pg != nil {
		j.keyObj("page")
		g.pageFields(pg, prev)
		j.endObj()
		if pg.utm != nil {
			u := pg.utm
			j.keyObj("campaign")
			j.kStr("source", u.source)
			j.kStr("medium", u.medium)
			j.kStr("name", u.name)
			if u.term != "" {
				j.kStr("term", u.term)
			}
			if u.content != "" {
				j.kStr("content", u.content)
			}
			j.endObj()
		}
	}
	j.endObj()
}

// appCtx writes the mobile SDK context of an app event.
func (g *generator) appCtx(ts int64, token bool) {
	j := &g.j
	l := &g.c.l
	d := &appDevices[l.appKind]
	j.keyObj("context")
	j.keyObj("app")
	j.kStr("name", "NTO")
	minor := 1 + int(g.w.dayMIdx[min(int((ts-g.w.startMs)/1000/day), len(g.w.dayMIdx)-1)])/2
	j.key("version")
	j.rawStrStart()
	j.b = append(j.b, "5."...)
	j.b = appendPadded(j.b, int64(minor), 1)
	j.b = append(j.b, ".0"...)
	j.rawStrEnd()
	j.key("build")
	j.rawStrStart()
	j.b = appendPadded(j.b, int64(5000+minor*10), 1)
	j.rawStrEnd()
	j.kStr("namespace", "com.nto.outfitters")
	j.endObj()
	j.keyObj("device")
	j.key("id")
	j.rawStrStart()
	h := hash3(g.w.seed, streamDevice, uint64(g.ci), 99)
	j.b = appendUUID(j.b, h, mix(h))
	j.rawStrEnd()
	j.kStr("manufacturer", d.manufacturer)
	j.kStr("model", d.model)
	if d.os == "iOS" {
		j.kStr("type", "ios")
	} else {
		j.kStr("type", "android")
	}
	if token {
		j.key("token")
		j.rawStrStart()
		j.b = g.appendPushToken(j.b)
		j.rawStrEnd()
	}
	j.endObj()
	j.keyObj("os")
	j.kStr("name", d.os)
	j.kStr("version", d.osVersion)
	j.endObj()
	j.keyObj("library")
	if d.os == "iOS" {
		j.kStr("name", "analytics-swift")
		j.kStr("version", "1.5.11")
	} else {
		j.kStr("name", "analytics-kotlin")
		j.kStr("version", "1.15.0")
	}
	j.endObj()
	j.keyObj("network")
	j.kBool("wifi", g.g.chance(0.6))
	j.endObj()
	j.key("ip")
	j.rawStrStart()
	j.b = g.appendIP(j.b, appDev)
	j.rawStrEnd()
	j.kStr("locale", g.locale())
	j.kStr("timezone", cities[l.city].tz)
	j.endObj()
}

// serverCtx opens the context of a server-side source (POS, call center, email
// platform …); the caller may add fields and must call j.endObj().
func (g *generator) serverCtx() *jsonWriter {
	j := &g.j
	j.keyObj("context")
	j.keyObj("library")
	j.kStr("name", "analytics-go")
	j.kStr("version", "3.3.0")
	j.endObj()
	return j
}

// storeLocation writes context.location and context.store_id for store s.
func (g *generator) storeLocation(s int) {
	j := &g.j
	c := &cities[stores[s].city]
	j.keyObj("location")
	j.kStr("city", c.name)
	j.kStr("region", c.state)
	j.kStr("country", "US")
	j.kFloat("latitude", c.lat, 4)
	j.kFloat("longitude", c.lon, 4)
	j.endObj()
	j.kStr("store_id", stores[s].id)
}

// externalID writes context.externalIds with one entry (id is copied).
func (g *generator) externalID(typ string, id []byte) {
	j := &g.j
	j.keyArr("externalIds")
	j.obj()
	j.kBytes("id", id)
	j.kStr("type", typ)
	j.kStr("collection", "users")
	j.kStr("encoding", "none")
	j.endObj()
	j.endArr()
}

// --- identifiers and traits -------------------------------------------------

var (
	firstLower = lowerAll(firstNames[:])
	lastLower  = lowerAll(lastNames[:])
)

func lowerAll(in []string) []string {
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = strings.ToLower(s)
	}
	return out
}

// appendEmail writes the customer's email: unique per email owner (the index
// is part of the local part), shared within a household.
func appendEmail(b []byte, l *latent) []byte {
	f, last := firstLower[l.emailFirst], lastLower[l.last]
	switch l.emailOwner % 3 {
	case 0:
		b = append(b, f...)
		b = append(b, '.')
		b = append(b, last...)
	case 1:
		b = append(b, f...)
		b = append(b, '_')
		b = append(b, last[:1]...)
	default:
		b = append(b, f[:1]...)
		b = append(b, last...)
	}
	b = appendPadded(b, int64(l.emailOwner), 1)
	b = append(b, '@')
	return append(b, emailDomains[l.domain]...)
}

// appendPhone writes an E.164 number unique per customer index (for up to 8M
// customers per area code).
func appendPhone(b []byte, l *latent, i int, national bool) []byte {
	c := &cities[l.city]
	exch := int64(200 + (i/10000)%800)
	line := int64(i % 10000)
	if national {
		b = append(b, '(')
		b = append(b, c.area...)
		b = append(b, ") "...)
		b = appendPadded(b, exch, 3)
		b = append(b, '-')
		return appendPadded(b, line, 4)
	}
	b = append(b, "+1"...)
	b = append(b, c.area...)
	b = appendPadded(b, exch, 3)
	return appendPadded(b, line, 4)
}

func appendLoyaltyID(b []byte, i int) []byte {
	b = append(b, "TRL"...)
	return appendPadded(b, int64(i), 9)
}

func (g *generator) appendPushToken(b []byte) []byte {
	for k := range uint64(4) {
		b = appendHex(b, hash3(g.w.seed, streamDevice, uint64(g.ci), 100+k), 16)
	}
	return b
}

var ipFirstOctets = [...]int64{24, 50, 67, 68, 71, 73, 75, 76, 98, 99, 104, 108, 174}

func (g *generator) appendIP(b []byte, dev int) []byte {
	h := hash3(g.w.seed, streamDevice, uint64(g.ci), 50+uint64(dev))
	b = appendPadded(b, ipFirstOctets[h%uint64(len(ipFirstOctets))], 1)
	for k := range 3 {
		b = append(b, '.')
		b = appendPadded(b, int64((h>>(8+8*k))&0xff)%254+1, 1)
	}
	return b
}

// profileTraits writes the person's traits as a sign-up identify carries them.
func (g *generator) profileTraits(signupMs int64, pushToken, placeholder bool) {
	j := &g.j
	l := &g.c.l
	c := &cities[l.city]
	j.kStr("first_name", firstNames[l.first])
	j.kStr("last_name", lastNames[l.last])
	j.key("email")
	switch {
	case placeholder && g.ci%2 == 0:
		j.str("test@test.com")
	case placeholder:
		j.str("null")
	default:
		j.rawStrStart()
		j.b = appendEmail(j.b, l)
		j.rawStrEnd()
	}
	j.key("phone")
	j.rawStrStart()
	j.b = appendPhone(j.b, l, g.ci, false)
	j.rawStrEnd()
	j.keyObj("address")
	j.key("street")
	j.rawStrStart()
	j.b = appendPadded(j.b, int64(l.house), 1)
	j.b = append(j.b, ' ')
	j.b = append(j.b, streetNames[l.street]...)
	j.b = append(j.b, ' ')
	j.b = append(j.b, streetSuffixes[l.suffix]...)
	j.rawStrEnd()
	j.kStr("city", c.name)
	j.kStr("state", c.state)
	j.key("postal_code")
	j.rawStrStart()
	j.b = append(j.b, c.zip3...)
	j.b = appendPadded(j.b, int64(l.zip2), 2)
	j.rawStrEnd()
	j.kStr("country", "US")
	j.endObj()
	j.kStr("timezone", c.tz)
	j.kStr("locale", g.locale())
	j.key("birthday")
	j.rawStrStart()
	j.b = appendDate(j.b, (int64(l.birth)-10957)*day*1000)
	j.rawStrEnd()
	g.consent(l.has(fConsentEmail))
	if l.has(fLoyalty) {
		j.key("loyalty_id")
		j.rawStrStart()
		j.b = appendLoyaltyID(j.b, g.ci)
		j.rawStrEnd()
	}
	if pushToken {
		j.key("push_token")
		j.rawStrStart()
		j.b = g.appendPushToken(j.b)
		j.rawStrEnd()
	}
	j.kTime("created_at", signupMs)
}

// consent writes traits.consent, the per-channel marketing permissions.
func (g *generator) consent(email bool) {
	j := &g.j
	l := &g.c.l
	j.keyObj("consent")
	j.kBool("email", email && !g.c.unsub)
	j.kBool("sms", l.has(fConsentSMS))
	j.kBool("push", l.has(fHasApp) && l.has(fConsentPush))
	j.endObj()
}
