package policy

import (
	"strings"
	"sync"
	"time"
	"unicode"
)

// ZoneInput is what a profile tells about where its person is.
type ZoneInput struct {
	Timezone string // the timezone trait: an IANA name or a common alias
	Country  string // ISO 3166-1 alpha-2 (a few names and alpha-3 codes are accepted)
	Region   string // state/province/region: ISO 3166-2 code (with or without "US-") or name
}

// ZoneSource says which input ResolveZone used.
type ZoneSource string

// Zone sources, in the order ResolveZone tries them.
const (
	ZoneTrait    ZoneSource = "trait"
	ZoneLocation ZoneSource = "location"
	ZoneDefault  ZoneSource = "default"
	ZoneUTC      ZoneSource = "utc"
)

// ResolveZone picks the zone to evaluate a profile's local-time rules in:
//
//  1. the timezone trait, if LookupZone knows it (an invalid name falls
//     through, it is not an error);
//  2. the location: for the US, Canada, Australia, Brazil, Mexico and Russia
//     the region's zone when the region is known (regions are only read
//     together with a country: "CA" alone is California or Canada), else the
//     country's most populous zone; for other countries their zone;
//  3. def, the workspace default, when not nil;
//  4. UTC.
//
// Apart from loading a zone the first time it is used, it does no I/O.
func ResolveZone(in ZoneInput, def *time.Location) (*time.Location, ZoneSource) {
	if in.Timezone != "" {
		if loc, ok := LookupZone(in.Timezone); ok {
			return loc, ZoneTrait
		}
	}
	if in.Country != "" {
		if loc, ok := locationZone(in.Country, in.Region); ok {
			return loc, ZoneLocation
		}
	}
	if def != nil {
		return def, ZoneDefault
	}
	return time.UTC, ZoneUTC
}

// LookupZone resolves a zone name: an IANA name (exact, or with the case
// fixed: "america/new_york"), or an alias from zoneAliases (tz backward links
// such as "US/Eastern" and "Asia/Calcutta", Windows ids, Rails names, UTC
// spellings, US abbreviations). "Local", tz database support files and the
// posix/ and right/ trees are refused. Results are cached.
func LookupZone(name string) (*time.Location, bool) {
	zones.mu.RLock()
	loc, ok := zones.byName[name]
	zones.mu.RUnlock()
	if !ok {
		loc = lookupZoneSlow(name)
		zones.mu.Lock()
		if len(zones.byName) < maxCachedNames && len(name) <= 128 {
			zones.byName[name] = loc
		}
		zones.mu.Unlock()
	}
	return loc, loc != nil
}

// maxCachedNames bounds the cache of looked-up names: traits are user
// input, and unknown names are cached too (as nil).
const maxCachedNames = 4096

var zones = struct {
	mu      sync.RWMutex
	byName  map[string]*time.Location // input name → zone, nil if unknown
	byCanon map[string]*time.Location // loaded IANA names; bounded by the tz database
}{byName: map[string]*time.Location{}, byCanon: map[string]*time.Location{}}

func lookupZoneSlow(name string) *time.Location {
	s := strings.TrimSpace(name)
	if s == "" || len(s) > 64 {
		return nil
	}
	if canon, ok := zoneAliases[strings.ToLower(s)]; ok {
		if loc := loadCanonical(canon); loc != nil {
			return loc
		}
	}
	if !plausibleZoneName(s) {
		return nil
	}
	if loc := loadCanonical(s); loc != nil {
		return loc
	}
	if fixed := fixZoneCase(s); fixed != s {
		return loadCanonical(fixed)
	}
	return nil
}

// loadCanonical loads an IANA name once per process.
func loadCanonical(name string) *time.Location {
	zones.mu.RLock()
	loc, ok := zones.byCanon[name]
	zones.mu.RUnlock()
	if ok {
		return loc
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil
	}
	zones.mu.Lock()
	zones.byCanon[name] = loc
	zones.mu.Unlock()
	return loc
}

// plausibleZoneName refuses what time.LoadLocation would accept but is not
// a customer's zone: "Local" (the server's zone), tz support files, and the
// posix/ and right/ trees (right/ zones count leap seconds).
func plausibleZoneName(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/_+-", r)) {
			return false
		}
	}
	l := strings.ToLower(s)
	switch l {
	case "local", "localtime", "posixrules", "factory", "leapseconds":
		return false
	}
	return !strings.HasPrefix(l, "posix/") && !strings.HasPrefix(l, "right/") &&
		!strings.HasPrefix(s, "/") && !strings.Contains(s, "//")
}

// fixZoneCase capitalizes each word of a zone name the way most IANA names
// are spelled: "america/new_york" → "America/New_York". Names with other
// capitalization (Port-au-Prince, Etc/GMT+5) must be given exactly.
func fixZoneCase(s string) string {
	b := []rune(strings.ToLower(s))
	start := true
	for i, r := range b {
		if start {
			b[i] = unicode.ToUpper(r)
		}
		start = r == '/' || r == '_' || r == '-'
	}
	return string(b)
}

// locationZone maps a country and optional region to a zone.
func locationZone(country, region string) (*time.Location, bool) {
	cc := normCountry(country)
	if cc == "" {
		return nil, false
	}
	if region != "" {
		if m, ok := regionIndex[cc]; ok {
			if name, ok := lookupRegion(m, cc, region); ok {
				if loc := loadCanonical(name); loc != nil {
					return loc, true
				}
			}
		}
	}
	name, ok := countryZones[cc]
	if !ok {
		return nil, false
	}
	loc := loadCanonical(name)
	return loc, loc != nil
}

func normCountry(country string) string {
	s := strings.ToUpper(strings.TrimSpace(country))
	if _, ok := countryZones[s]; ok {
		return s
	}
	return countryNames[normRegionName(s)]
}

// lookupRegion tries the region as a subdivision code ("CA", "US-CA"), then
// as a name, then as a name without a generic word ("Sverdlovsk Oblast").
func lookupRegion(m map[string]string, cc, region string) (string, bool) {
	code := strings.ToUpper(strings.TrimSpace(region))
	code = strings.TrimPrefix(code, cc+"-")
	if zone, ok := m[code]; ok {
		return zone, true
	}
	name := normRegionName(region)
	if zone, ok := m[name]; ok {
		return zone, true
	}
	for _, w := range regionPrefixes {
		if rest, ok := strings.CutPrefix(name, w); ok {
			name = rest
		}
	}
	for _, w := range regionSuffixes {
		if rest, ok := strings.CutSuffix(name, w); ok {
			name = rest
		}
	}
	zone, ok := m[name]
	return zone, ok
}

var (
	regionPrefixes = []string{"state of ", "province of ", "republic of ", "estado de ", "estado do "}
	regionSuffixes = []string{
		" autonomous okrug", " autonomous oblast", " oblast", " krai", " kray", " republic",
		" state", " province",
	}
)

// normRegionName lower-cases, strips Latin accents, turns punctuation into
// spaces and collapses runs of spaces: "Nouvelle-Écosse" → "nouvelle ecosse".
func normRegionName(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range strings.ToLower(s) {
		r = foldAccent(r)
		if r == ' ' || r == '-' || r == '.' || r == ',' || r == '_' || r == '\'' || r == '(' || r == ')' {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

func foldAccent(r rune) rune {
	switch r {
	case 'á', 'à', 'â', 'ã', 'ä', 'å':
		return 'a'
	case 'é', 'è', 'ê', 'ë':
		return 'e'
	case 'í', 'ì', 'î', 'ï':
		return 'i'
	case 'ó', 'ò', 'ô', 'õ', 'ö':
		return 'o'
	case 'ú', 'ù', 'û', 'ü':
		return 'u'
	case 'ç':
		return 'c'
	case 'ñ':
		return 'n'
	}
	return r
}
