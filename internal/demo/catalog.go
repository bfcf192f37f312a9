package demo

import (
	"math"
	"slices"
	"strconv"
	"strings"
)

// The NTO catalog is static (it does not depend on the seed): six categories,
// twelve product types each, three brands per type — 216 products.

type category struct {
	name   string // e.g. "Camping"
	slug   string // e.g. "camping"
	code   string // SKU prefix
	brands [3]string
	types  [12]productType
	// month weights (Jan..Dec): how strongly the category sells in each month.
	season [12]float64
}

type productType struct {
	name  string
	price float64 // list price in dollars for the mid brand
}

type product struct {
	id       string // "P10042"
	sku      string // "NTO-CAM-0042"
	name     string
	brand    string
	category int
	slug     string
	price    int64 // cents
}

var categories = [...]category{
	{
		name: "Camping", slug: "camping", code: "CAM",
		brands: [3]string{"Northern Trail", "Ridgeline", "Basecamp Supply"},
		types: [12]productType{
			{"2-Person Backpacking Tent", 249}, {"4-Person Family Tent", 329}, {"Down Sleeping Bag 20F", 279},
			{"Synthetic Sleeping Bag 35F", 99}, {"Insulated Sleeping Pad", 149}, {"Backpacking Stove", 69},
			{"Nonstick Cookset", 59}, {"LED Headlamp", 39}, {"Folding Camp Chair", 49},
			{"Hard-Sided Cooler 45qt", 229}, {"Squeeze Water Filter", 44}, {"Rechargeable Lantern", 34},
		},
		season: [12]float64{0.5, 0.5, 0.8, 1.0, 1.4, 1.8, 1.9, 1.6, 1.1, 0.8, 0.8, 1.0},
	},
	{
		name: "Hiking", slug: "hiking", code: "HIK",
		brands: [3]string{"Northern Trail", "Summit Ascent", "Timberline"},
		types: [12]productType{
			{"Waterproof Hiking Boots", 189}, {"Trail Hiking Shoes", 139}, {"65L Backpacking Pack", 269},
			{"28L Daypack", 109}, {"Carbon Trekking Poles", 119}, {"3-Layer Rain Jacket", 169},
			{"Merino Hiking Socks", 24}, {"Softshell Pants", 99}, {"Grid Fleece Jacket", 89},
			{"Wide-Brim Sun Hat", 32}, {"Hydration Reservoir 3L", 39}, {"GPS Navigation Watch", 349},
		},
		season: [12]float64{0.6, 0.6, 0.9, 1.2, 1.4, 1.5, 1.5, 1.4, 1.3, 1.1, 0.8, 0.9},
	},
	{
		name: "Running", slug: "running", code: "RUN",
		brands: [3]string{"Northern Trail", "Strideforge", "Pacer Lab"},
		types: [12]productType{
			{"Road Running Shoes", 139}, {"Trail Running Shoes", 149}, {"Running Shorts", 45},
			{"Running Tights", 79}, {"Technical Running Tee", 35}, {"Hydration Running Vest", 129},
			{"Energy Gel 12-Pack", 29}, {"Reflective Running Jacket", 119}, {"Compression Socks", 28},
			{"Running Belt", 25}, {"GPS Running Watch", 249}, {"Handheld Water Bottle", 22},
		},
		season: [12]float64{1.3, 1.1, 1.2, 1.3, 1.2, 1.0, 0.9, 0.9, 1.1, 1.2, 1.0, 0.9},
	},
	{
		name: "Cycling", slug: "cycling", code: "CYC",
		brands: [3]string{"Northern Trail", "Velocita", "Gravelworks"},
		types: [12]productType{
			{"Endurance Road Bike", 1299}, {"Hardtail Mountain Bike", 899}, {"MIPS Bike Helmet", 89},
			{"Cycling Jersey", 79}, {"Padded Bike Shorts", 89}, {"Clipless Pedals", 119},
			{"Bike Light Set", 59}, {"Floor Pump", 49}, {"Bike Multi-Tool", 32},
			{"Cycling Gloves", 35}, {"U-Lock", 65}, {"Bottle 2-Pack", 19},
		},
		season: [12]float64{0.5, 0.6, 0.9, 1.3, 1.6, 1.7, 1.6, 1.4, 1.1, 0.8, 0.6, 0.8},
	},
	{
		name: "Fishing", slug: "fishing", code: "FSH",
		brands: [3]string{"Northern Trail", "Riverbend", "Clearwater Tackle"},
		types: [12]productType{
			{"Spinning Rod and Reel Combo", 129}, {"Fly Rod Outfit", 349}, {"Breathable Chest Waders", 199},
			{"Tackle Box", 39}, {"Braided Line 300yd", 19}, {"Lure Assortment", 29},
			{"Fishing Vest", 79}, {"Rubber Landing Net", 49}, {"Polarized Sunglasses", 99},
			{"Trout Fly Assortment", 34}, {"Rod Holder", 25}, {"Fish Finder", 299},
		},
		season: [12]float64{0.4, 0.5, 0.8, 1.3, 1.6, 1.7, 1.6, 1.4, 1.1, 0.7, 0.5, 0.6},
	},
	{
		name: "Skiing", slug: "skiing", code: "SKI",
		brands: [3]string{"Northern Trail", "Alpine Forge", "Powderline"},
		types: [12]productType{
			{"All-Mountain Skis", 649}, {"Ski Boots", 449}, {"Ski Bindings", 279},
			{"All-Mountain Snowboard", 499}, {"Snowboard Boots", 289}, {"Ski Helmet", 139},
			{"Ski Goggles", 149}, {"Insulated Ski Jacket", 329}, {"Ski Pants", 199},
			{"Base Layer Set", 89}, {"Ski Gloves", 69}, {"Neck Gaiter", 25},
		},
		season: [12]float64{2.0, 1.8, 1.2, 0.5, 0.2, 0.1, 0.1, 0.2, 0.5, 1.2, 2.0, 2.4},
	},
}

// brandFactor scales the mid price for the house brand, the mid brand and the
// premium brand of each category.
var brandFactor = [3]float64{0.85, 1.0, 1.3}

// catalog holds every product; byCategory indexes it by category, each sorted by
// price; byPrice is the whole catalog sorted by price (for basket fitting).
var (
	catalog    = buildCatalog()
	byCategory = indexByCategory(catalog)
	byPrice    = sortedByPrice(catalog)
)

func buildCatalog() []product {
	out := make([]product, 0, len(categories)*36)
	for ci, c := range categories {
		for ti, t := range c.types {
			for bi, brand := range c.brands {
				n := len(out)
				price := roundPrice(t.price * brandFactor[bi])
				name := brand + " " + t.name
				out = append(out, product{
					id:       "P" + strconv.Itoa(10000+n),
					sku:      "NTO-" + c.code + "-" + strconv.Itoa(1000+ti*10+bi),
					name:     name,
					brand:    brand,
					category: ci,
					slug:     slugify(name),
					price:    price,
				})
			}
		}
	}
	return out
}

// roundPrice turns a dollar amount into cents ending in .95 or .99.
func roundPrice(d float64) int64 {
	whole := int64(math.Floor(d))
	if whole%2 == 0 {
		return whole*100 - 5
	}
	return whole*100 - 1
}

func slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

func indexByCategory(ps []product) [len(categories)][]int {
	var out [len(categories)][]int
	for i, p := range ps {
		out[p.category] = append(out[p.category], i)
	}
	for c := range out {
		slices.SortStableFunc(out[c], func(a, b int) int { return int(ps[a].price - ps[b].price) })
	}
	return out
}

func sortedByPrice(ps []product) []int {
	out := make([]int, len(ps))
	for i := range out {
		out[i] = i
	}
	slices.SortStableFunc(out, func(a, b int) int { return int(ps[a].price - ps[b].price) })
	return out
}

// pickProduct draws a product of category c, favouring cheaper items slightly
// (there are more of them in real carts).
func pickProduct(g *rng, c int) int {
	ids := byCategory[c]
	u := g.Float64()
	return ids[int(u*u*0.35*float64(len(ids))+u*0.65*float64(len(ids)))%len(ids)]
}

// pickCategory draws a category for a customer in a month: the season's weights,
// with the customer's two favourite categories boosted.
func pickCategory(g *rng, month int, fav [2]uint8) int {
	var w [len(categories)]float64
	total := 0.0
	for i := range categories {
		v := categories[i].season[month]
		if uint8(i) == fav[0] {
			v *= 4
		} else if uint8(i) == fav[1] {
			v *= 2
		}
		w[i] = v
		total += v
	}
	u := g.Float64() * total
	for i, v := range w {
		if u < v {
			return i
		}
		u -= v
	}
	return len(categories) - 1
}
