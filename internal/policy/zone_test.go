package policy

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestResolveZone(t *testing.T) {
	t.Parallel()
	paris := zone(t, "Europe/Paris")
	cases := []struct {
		name string
		in   ZoneInput
		def  *time.Location
		want string
		src  ZoneSource
	}{
		{"trait", ZoneInput{Timezone: "America/New_York"}, paris, "America/New_York", ZoneTrait},
		{"trait wins over location", ZoneInput{Timezone: "Asia/Kolkata", Country: "US", Region: "CA"}, paris, "Asia/Kolkata", ZoneTrait},
		{"trait with spaces", ZoneInput{Timezone: "  Pacific/Chatham "}, nil, "Pacific/Chatham", ZoneTrait},
		{"trait lower case", ZoneInput{Timezone: "america/los_angeles"}, nil, "America/Los_Angeles", ZoneTrait},
		{"trait UTC", ZoneInput{Timezone: "UTC", Country: "US"}, paris, "UTC", ZoneTrait},
		{"alias US/Eastern", ZoneInput{Timezone: "US/Eastern"}, nil, "America/New_York", ZoneTrait},
		{"alias us/pacific any case", ZoneInput{Timezone: "us/PACIFIC"}, nil, "America/Los_Angeles", ZoneTrait},
		{"alias Asia/Calcutta", ZoneInput{Timezone: "Asia/Calcutta"}, nil, "Asia/Kolkata", ZoneTrait},
		{"alias Europe/Kiev", ZoneInput{Timezone: "Europe/Kiev"}, nil, "Europe/Kyiv", ZoneTrait},
		{"alias Australia/NSW", ZoneInput{Timezone: "Australia/NSW"}, nil, "Australia/Sydney", ZoneTrait},
		{"alias NZ-CHAT", ZoneInput{Timezone: "NZ-CHAT"}, nil, "Pacific/Chatham", ZoneTrait},
		{"alias windows id", ZoneInput{Timezone: "W. Europe Standard Time"}, nil, "Europe/Berlin", ZoneTrait},
		{"alias rails name", ZoneInput{Timezone: "Pacific Time (US & Canada)"}, nil, "America/Los_Angeles", ZoneTrait},
		{"alias EST observes DST", ZoneInput{Timezone: "EST"}, nil, "America/New_York", ZoneTrait},
		{"alias GMT", ZoneInput{Timezone: "gmt"}, paris, "UTC", ZoneTrait},
		{"invalid falls to location", ZoneInput{Timezone: "Mars/Olympus_Mons", Country: "DE"}, nil, "Europe/Berlin", ZoneLocation},
		{"Local refused", ZoneInput{Timezone: "Local"}, paris, "Europe/Paris", ZoneDefault},
		{"right/ refused", ZoneInput{Timezone: "right/America/New_York"}, paris, "Europe/Paris", ZoneDefault},
		{"posix/ refused", ZoneInput{Timezone: "posix/Europe/Berlin"}, paris, "Europe/Paris", ZoneDefault},
		{"support file refused", ZoneInput{Timezone: "zone.tab"}, paris, "Europe/Paris", ZoneDefault},
		{"path refused", ZoneInput{Timezone: "../../etc/passwd"}, paris, "Europe/Paris", ZoneDefault},
		{"offset string falls through", ZoneInput{Timezone: "+05:30"}, nil, "UTC", ZoneUTC},
		{"single zone country", ZoneInput{Country: "IN"}, paris, "Asia/Kolkata", ZoneLocation},
		{"country lower case", ZoneInput{Country: " jp "}, nil, "Asia/Tokyo", ZoneLocation},
		{"region ignored for single zone country", ZoneInput{Country: "FR", Region: "CA"}, nil, "Europe/Paris", ZoneLocation},
		{"us state code", ZoneInput{Country: "US", Region: "CA"}, nil, "America/Los_Angeles", ZoneLocation},
		{"us state iso code", ZoneInput{Country: "US", Region: "US-NY"}, nil, "America/New_York", ZoneLocation},
		{"us state name", ZoneInput{Country: "US", Region: "new mexico"}, nil, "America/Denver", ZoneLocation},
		{"us state arizona has no dst", ZoneInput{Country: "US", Region: "AZ"}, nil, "America/Phoenix", ZoneLocation},
		{"us unknown region", ZoneInput{Country: "US", Region: "Atlantis"}, nil, "America/New_York", ZoneLocation},
		{"us no region", ZoneInput{Country: "US"}, nil, "America/New_York", ZoneLocation},
		{"usa by name", ZoneInput{Country: "United States", Region: "Texas"}, nil, "America/Chicago", ZoneLocation},
		{"usa alpha-3", ZoneInput{Country: "USA", Region: "WA"}, nil, "America/Los_Angeles", ZoneLocation},
		{"uk", ZoneInput{Country: "UK"}, nil, "Europe/London", ZoneLocation},
		{"canada default", ZoneInput{Country: "CA"}, nil, "America/Toronto", ZoneLocation},
		{"canada province", ZoneInput{Country: "CA", Region: "BC"}, nil, "America/Vancouver", ZoneLocation},
		{"canada french name", ZoneInput{Country: "CA", Region: "Québec"}, nil, "America/Toronto", ZoneLocation},
		{"canada accents folded", ZoneInput{Country: "CA", Region: "Nouvelle-Ecosse"}, nil, "America/Halifax", ZoneLocation},
		{"canada newfoundland", ZoneInput{Country: "CA", Region: "NL"}, nil, "America/St_Johns", ZoneLocation},
		{"australia default", ZoneInput{Country: "AU"}, nil, "Australia/Sydney", ZoneLocation},
		{"australia wa", ZoneInput{Country: "AU", Region: "WA"}, nil, "Australia/Perth", ZoneLocation},
		{"australia iso code", ZoneInput{Country: "AU", Region: "AU-QLD"}, nil, "Australia/Brisbane", ZoneLocation},
		{"australia name", ZoneInput{Country: "AU", Region: "South Australia"}, nil, "Australia/Adelaide", ZoneLocation},
		{"brazil default", ZoneInput{Country: "BR"}, nil, "America/Sao_Paulo", ZoneLocation},
		{"brazil amazonas", ZoneInput{Country: "BR", Region: "AM"}, nil, "America/Manaus", ZoneLocation},
		{"brazil accented name", ZoneInput{Country: "brasil", Region: "Rondônia"}, nil, "America/Porto_Velho", ZoneLocation},
		{"mexico default", ZoneInput{Country: "MX"}, nil, "America/Mexico_City", ZoneLocation},
		{"mexico baja", ZoneInput{Country: "MX", Region: "BCN"}, nil, "America/Tijuana", ZoneLocation},
		{"mexico cdmx", ZoneInput{Country: "MX", Region: "CDMX"}, nil, "America/Mexico_City", ZoneLocation},
		{"mexico quintana roo", ZoneInput{Country: "MX", Region: "Quintana Roo"}, nil, "America/Cancun", ZoneLocation},
		{"russia default", ZoneInput{Country: "RU"}, nil, "Europe/Moscow", ZoneLocation},
		{"russia oblast suffix", ZoneInput{Country: "RU", Region: "Sverdlovsk Oblast"}, nil, "Asia/Yekaterinburg", ZoneLocation},
		{"russia krai suffix", ZoneInput{Country: "RU", Region: "Primorsky Krai"}, nil, "Asia/Vladivostok", ZoneLocation},
		{"russia code", ZoneInput{Country: "RU", Region: "RU-KGD"}, nil, "Europe/Kaliningrad", ZoneLocation},
		{"region without country ignored", ZoneInput{Region: "CA"}, paris, "Europe/Paris", ZoneDefault},
		{"unknown country", ZoneInput{Country: "XX"}, paris, "Europe/Paris", ZoneDefault},
		{"antarctica has no zone", ZoneInput{Country: "AQ"}, nil, "UTC", ZoneUTC},
		{"nothing", ZoneInput{}, nil, "UTC", ZoneUTC},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			loc, src := ResolveZone(tc.in, tc.def)
			require.Equal(t, tc.want, loc.String())
			require.Equal(t, tc.src, src)
		})
	}
}

func TestResolveZoneIsStable(t *testing.T) {
	t.Parallel()
	a, _ := ResolveZone(ZoneInput{Timezone: "us/eastern"}, nil)
	b, _ := ResolveZone(ZoneInput{Timezone: "us/eastern"}, nil)
	c, _ := ResolveZone(ZoneInput{Country: "US", Region: "NY"}, nil)
	require.Same(t, a, b, "cached")
	require.Same(t, a, c, "one *Location per IANA name")
}

// TestZoneTablesLoad checks every zone the tables name exists in the tz
// database, so no country or region silently falls through to the default.
func TestZoneTablesLoad(t *testing.T) {
	t.Parallel()
	for cc, name := range countryZones {
		t.Run("country "+cc, func(t *testing.T) {
			t.Parallel()
			loc, src := ResolveZone(ZoneInput{Country: cc}, nil)
			require.Equal(t, ZoneLocation, src)
			require.Equal(t, name, loc.String())
		})
	}
	for cc, rs := range regionRows {
		for _, r := range rs {
			t.Run(fmt.Sprintf("region %s-%s", cc, r.code), func(t *testing.T) {
				t.Parallel()
				for _, region := range append([]string{r.code, cc + "-" + r.code, strings.ToLower(r.code)}, r.names...) {
					loc, src := ResolveZone(ZoneInput{Country: cc, Region: region}, nil)
					require.Equal(t, ZoneLocation, src, region)
					require.Equal(t, r.zone, loc.String(), region)
				}
			})
		}
	}
	for alias, name := range zoneAliases {
		t.Run("alias "+alias, func(t *testing.T) {
			t.Parallel()
			_, err := time.LoadLocation(name)
			require.NoError(t, err)
			loc, ok := LookupZone(alias)
			require.True(t, ok)
			require.Equal(t, name, loc.String())
		})
	}
}

// TestRegionCoverage pins the regions the brief asks for: every US state and
// DC, every Canadian province and territory, every Australian state and
// territory.
func TestRegionCoverage(t *testing.T) {
	t.Parallel()
	want := map[string]string{
		"US": "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY " +
			"NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY",
		"CA": "AB BC MB NB NL NS NT NU ON PE QC SK YT",
		"AU": "NSW VIC QLD SA WA TAS NT ACT",
		"BR": "AC AL AP AM BA CE DF ES GO MA MT MS MG PA PB PR PE PI RJ RN RS RO RR SC SP SE TO",
		"MX": "AGU BCN BCS CAM CHP CHH CMX COA COL DUR GUA GRO HID JAL MEX MIC MOR NAY NLE OAX PUE QUE ROO SLP " +
			"SIN SON TAB TAM TLA VER YUC ZAC",
	}
	for cc, codes := range want {
		t.Run(cc, func(t *testing.T) {
			t.Parallel()
			for _, code := range strings.Fields(codes) {
				_, ok := regionIndex[cc][code]
				require.True(t, ok, code)
			}
		})
	}
	require.Len(t, strings.Fields(want["US"]), 51)
	require.Len(t, regionRows["RU"], 83, "all federal subjects")
}

func TestLookupZone(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, in string
		want     string // "" = not found
	}{
		{"canonical", "Asia/Kolkata", "Asia/Kolkata"},
		{"three level", "America/Argentina/Buenos_Aires", "America/Argentina/Buenos_Aires"},
		{"case fixed three level", "america/indiana/indianapolis", "America/Indiana/Indianapolis"},
		{"etc offset exact", "Etc/GMT+5", "Etc/GMT+5"},
		{"empty", "", ""},
		{"blank", "   ", ""},
		{"too long", strings.Repeat("A", 65), ""},
		{"Local", "Local", ""},
		{"localtime", "localtime", ""},
		{"posixrules", "posixrules", ""},
		{"absolute path", "/usr/share/zoneinfo/UTC", ""},
		{"nul byte", "UTC\x00", ""},
		{"unknown", "Europe/Atlantis", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			loc, ok := LookupZone(tc.in)
			require.Equal(t, tc.want != "", ok)
			if ok {
				require.Equal(t, tc.want, loc.String())
			}
		})
	}
}

func TestLookupZoneCacheIsBounded(t *testing.T) {
	t.Parallel()
	for i := range maxCachedNames + 10 {
		_, ok := LookupZone(fmt.Sprintf("junk!%d", i)) // refused before any file is read
		require.False(t, ok)
	}
	zones.mu.RLock()
	n := len(zones.byName)
	zones.mu.RUnlock()
	require.LessOrEqual(t, n, maxCachedNames)
	_, ok := LookupZone("Europe/Berlin")
	require.True(t, ok, "lookups still work when the cache is full")
}

func TestNormRegionName(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"Nouvelle-Écosse":       "nouvelle ecosse",
		"  São   Paulo ":        "sao paulo",
		"Washington D.C.":       "washington d c",
		"Sakha (Yakutia)":       "sakha yakutia",
		"Île-du-Prince-Édouard": "ile du prince edouard",
		"Michoacán de Ocampo":   "michoacan de ocampo",
		"KHANTY-MANSI":          "khanty mansi",
		"":                      "",
	}
	for in, want := range cases {
		t.Run(in, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, want, normRegionName(in))
		})
	}
}

func BenchmarkResolveZone(b *testing.B) {
	def := zone(b, "Europe/Paris")
	cases := []struct {
		name string
		in   ZoneInput
	}{
		{"trait", ZoneInput{Timezone: "America/New_York"}},
		{"alias", ZoneInput{Timezone: "US/Pacific"}},
		{"state code", ZoneInput{Timezone: "bogus", Country: "US", Region: "CA"}},
		{"state name", ZoneInput{Country: "US", Region: "New Mexico"}},
		{"default", ZoneInput{}},
	}
	for _, bc := range cases {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if loc, _ := ResolveZone(bc.in, def); loc == nil {
					b.Fatal("nil zone")
				}
			}
		})
	}
}
