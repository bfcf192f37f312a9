package demo

import (
	"math"
	"strconv"
)

// city is a place NTO customers live; a city with store=true has an NTO store.
type city struct {
	name   string
	state  string
	zip3   string
	area   string // telephone area code
	tz     string // IANA time zone
	offset int    // standard UTC offset in hours (DST ignored for activity hours)
	lat    float64
	lon    float64
	weight float64 // relative share of customers
	tax    float64 // combined sales tax rate
	store  bool
}

var cities = [...]city{
	{"New York", "NY", "100", "212", "America/New_York", -5, 40.71, -74.01, 8.3, 0.08875, true},
	{"Brooklyn", "NY", "112", "718", "America/New_York", -5, 40.68, -73.94, 2.6, 0.08875, false},
	{"Buffalo", "NY", "142", "716", "America/New_York", -5, 42.89, -78.88, 0.3, 0.0875, false},
	{"Boston", "MA", "021", "617", "America/New_York", -5, 42.36, -71.06, 0.7, 0.0625, true},
	{"Philadelphia", "PA", "191", "215", "America/New_York", -5, 39.95, -75.17, 1.6, 0.08, true},
	{"Pittsburgh", "PA", "152", "412", "America/New_York", -5, 40.44, -79.99, 0.3, 0.07, true},
	{"Washington", "DC", "200", "202", "America/New_York", -5, 38.91, -77.04, 0.7, 0.06, true},
	{"Baltimore", "MD", "212", "410", "America/New_York", -5, 39.29, -76.61, 0.6, 0.06, false},
	{"Charlotte", "NC", "282", "704", "America/New_York", -5, 35.23, -80.84, 0.9, 0.0725, true},
	{"Raleigh", "NC", "276", "919", "America/New_York", -5, 35.78, -78.64, 0.5, 0.0725, true},
	{"Atlanta", "GA", "303", "404", "America/New_York", -5, 33.75, -84.39, 0.5, 0.089, true},
	{"Miami", "FL", "331", "305", "America/New_York", -5, 25.76, -80.19, 0.45, 0.07, true},
	{"Orlando", "FL", "328", "407", "America/New_York", -5, 28.54, -81.38, 0.3, 0.065, true},
	{"Tampa", "FL", "336", "813", "America/New_York", -5, 27.95, -82.46, 0.4, 0.075, false},
	{"Nashville", "TN", "372", "615", "America/Chicago", -6, 36.16, -86.78, 0.7, 0.0925, true},
	{"Columbus", "OH", "432", "614", "America/New_York", -5, 39.96, -83.0, 0.9, 0.075, true},
	{"Cleveland", "OH", "441", "216", "America/New_York", -5, 41.5, -81.69, 0.37, 0.08, false},
	{"Detroit", "MI", "482", "313", "America/Detroit", -5, 42.33, -83.05, 0.63, 0.06, true},
	{"Grand Rapids", "MI", "495", "616", "America/Detroit", -5, 42.96, -85.67, 0.2, 0.06, false},
	{"Indianapolis", "IN", "462", "317", "America/Indiana/Indianapolis", -5, 39.77, -86.16, 0.88, 0.07, false},
	{"Chicago", "IL", "606", "312", "America/Chicago", -6, 41.88, -87.63, 2.7, 0.1025, true},
	{"Milwaukee", "WI", "532", "414", "America/Chicago", -6, 43.04, -87.91, 0.57, 0.055, false},
	{"Madison", "WI", "537", "608", "America/Chicago", -6, 43.07, -89.4, 0.27, 0.055, true},
	{"Minneapolis", "MN", "554", "612", "America/Chicago", -6, 44.98, -93.27, 0.43, 0.0803, true},
	{"St. Louis", "MO", "631", "314", "America/Chicago", -6, 38.63, -90.2, 0.3, 0.0917, false},
	{"Kansas City", "MO", "641", "816", "America/Chicago", -6, 39.1, -94.58, 0.5, 0.0885, true},
	{"Dallas", "TX", "752", "214", "America/Chicago", -6, 32.78, -96.8, 1.3, 0.0825, true},
	{"Houston", "TX", "770", "713", "America/Chicago", -6, 29.76, -95.37, 2.3, 0.0825, true},
	{"Austin", "TX", "787", "512", "America/Chicago", -6, 30.27, -97.74, 0.96, 0.0825, true},
	{"San Antonio", "TX", "782", "210", "America/Chicago", -6, 29.42, -98.49, 1.4, 0.0825, false},
	{"New Orleans", "LA", "701", "504", "America/Chicago", -6, 29.95, -90.07, 0.38, 0.0945, false},
	{"Denver", "CO", "802", "303", "America/Denver", -7, 39.74, -104.99, 0.72, 0.0881, true},
	{"Boulder", "CO", "803", "720", "America/Denver", -7, 40.01, -105.27, 0.1, 0.0886, true},
	{"Salt Lake City", "UT", "841", "801", "America/Denver", -7, 40.76, -111.89, 0.2, 0.0775, true},
	{"Boise", "ID", "837", "208", "America/Boise", -7, 43.62, -116.2, 0.23, 0.06, true},
	{"Phoenix", "AZ", "850", "602", "America/Phoenix", -7, 33.45, -112.07, 1.6, 0.086, true},
	{"Tucson", "AZ", "857", "520", "America/Phoenix", -7, 32.22, -110.97, 0.54, 0.087, false},
	{"Albuquerque", "NM", "871", "505", "America/Denver", -7, 35.08, -106.65, 0.56, 0.0763, false},
	{"Las Vegas", "NV", "891", "702", "America/Los_Angeles", -8, 36.17, -115.14, 0.64, 0.0838, true},
	{"Los Angeles", "CA", "900", "213", "America/Los_Angeles", -8, 34.05, -118.24, 3.9, 0.095, true},
	{"San Diego", "CA", "921", "619", "America/Los_Angeles", -8, 32.72, -117.16, 1.4, 0.0775, true},
	{"San Francisco", "CA", "941", "415", "America/Los_Angeles", -8, 37.77, -122.42, 0.87, 0.08625, true},
	{"San Jose", "CA", "951", "408", "America/Los_Angeles", -8, 37.34, -121.89, 1.0, 0.09375, false},
	{"Sacramento", "CA", "958", "916", "America/Los_Angeles", -8, 38.58, -121.49, 0.5, 0.0875, true},
	{"Portland", "OR", "972", "503", "America/Los_Angeles", -8, 45.52, -122.68, 0.65, 0, true},
	{"Bend", "OR", "977", "541", "America/Los_Angeles", -8, 44.06, -121.31, 0.1, 0, true},
	{"Seattle", "WA", "981", "206", "America/Los_Angeles", -8, 47.61, -122.33, 0.74, 0.1035, true},
	{"Spokane", "WA", "992", "509", "America/Los_Angeles", -8, 47.66, -117.43, 0.23, 0.09, false},
	{"Anchorage", "AK", "995", "907", "America/Anchorage", -9, 61.22, -149.9, 0.29, 0, true},
	{"Honolulu", "HI", "968", "808", "Pacific/Honolulu", -10, 21.31, -157.86, 0.35, 0.045, false},
	{"Burlington", "VT", "054", "802", "America/New_York", -5, 44.48, -73.21, 0.05, 0.07, true},
	{"Portland", "ME", "041", "207", "America/New_York", -5, 43.66, -70.26, 0.07, 0.055, false},
}

// store is an NTO store; stores are numbered in the order of cities.
type store struct {
	id   string // "NTO-007"
	city int
}

var (
	stores       = buildStores()
	nearestStore = buildNearest()
	cityCum      = cityWeights()
)

func buildStores() []store {
	var out []store
	for i, c := range cities {
		if c.store {
			out = append(out, store{id: "NTO-" + pad3(len(out)+1), city: i})
		}
	}
	return out
}

func pad3(n int) string {
	s := strconv.Itoa(n)
	for len(s) < 3 {
		s = "0" + s
	}
	return s
}

// buildNearest maps each city to its nearest store (by great-circle distance).
func buildNearest() []int {
	out := make([]int, len(cities))
	for i, c := range cities {
		best, bestD := 0, math.Inf(1)
		for si, s := range stores {
			d := distance(c.lat, c.lon, cities[s.city].lat, cities[s.city].lon)
			if d < bestD {
				best, bestD = si, d
			}
		}
		out[i] = best
	}
	return out
}

func distance(lat1, lon1, lat2, lon2 float64) float64 {
	const rad = math.Pi / 180
	dlat := (lat2 - lat1) * rad
	dlon := (lon2 - lon1) * rad
	a := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * math.Asin(math.Sqrt(a))
}

func cityWeights() []float64 {
	w := make([]float64, len(cities))
	for i, c := range cities {
		w[i] = c.weight
	}
	return cumulative(w)
}

// hourWeight is the relative activity by local hour of day.
var hourWeight = [24]float64{
	0.15, 0.08, 0.05, 0.04, 0.05, 0.12, 0.3, 0.55, 0.75, 0.85, 0.9, 0.95,
	1.0, 0.95, 0.85, 0.8, 0.8, 0.85, 0.95, 1.0, 1.0, 0.9, 0.6, 0.3,
}

// storeHourWeight is the relative store traffic by local hour (closed at night).
var storeHourWeight = [24]float64{
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0.3, 0.6, 0.8,
	1.0, 1.0, 0.9, 0.9, 1.0, 1.0, 0.9, 0.7, 0.4, 0, 0, 0,
}

// monthWeight is NTO's overall traffic by month (holiday peak, summer bump).
var monthWeight = [12]float64{0.85, 0.8, 0.9, 1.0, 1.1, 1.2, 1.15, 1.05, 0.9, 0.95, 1.35, 1.6}
