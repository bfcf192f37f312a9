// Package segmenttest holds segment definitions shared by the benchmarks
// of the engine and of the processor.
package segmenttest

import "fmt"

// Mixed returns 100 live segments of mixed kinds in the text form, by id,
// over the vocabulary of the processor's benchmark stream: "Product
// Viewed" with price and category, identify with email, first_name, plan
// and address.city, the web channel. Ninety read events or traits —
// performed with windows, filters and counts, sum and count aggregates,
// traits, last_performed, sequences with a negated step, channel — and
// ten are in_segment dependents. One in nine names events the stream never
// sends ("Order Completed", "Product Added"), so routing skips them, as it
// would for a real mix of audiences.
func Mixed() map[string]string {
	out := make(map[string]string, 100)
	windows := []string{"1h", "1d", "7d", "30d", "90d"}
	for i := range 90 {
		w := windows[i%len(windows)]
		var src string
		switch i % 9 {
		case 0:
			src = fmt.Sprintf(`performed "Product Viewed" within %s`, w)
		case 1:
			src = fmt.Sprintf(`performed "Product Viewed" where price > %d, category = "camping" count >= %d within %s`, 50*(i%7), 1+i%4, w)
		case 2:
			src = fmt.Sprintf(`aggregate sum price of "Product Viewed" within %s >= %d`, w, 250*(1+i%5))
		case 3:
			src = fmt.Sprintf(`trait plan = "gold" and trait address.city in ["Denver", "Paris"] and performed "Product Viewed" count >= %d`, 1+i%3)
		case 4:
			src = fmt.Sprintf(`last_performed "Product Viewed" where category = "camping" time within_last %s`, w)
		case 5:
			src = fmt.Sprintf(`sequence "Product Viewed" then not "Order Completed" within %s`, w)
		case 6:
			src = fmt.Sprintf(`channel channels ["web"] within %s`, w)
		case 7:
			src = fmt.Sprintf(`trait email ends_with "@nto.example" and aggregate count of "Product Viewed" within %s >= %d`, w, 2+i%3)
		case 8:
			if i%2 == 0 {
				src = fmt.Sprintf(`performed "Order Completed" where revenue > %d within %s`, 10*i, w)
			} else {
				src = fmt.Sprintf(`aggregate sum revenue of "Order Completed" within 365d >= %d or performed "Product Added" within %s`, 100*i, w)
			}
		}
		out[fmt.Sprintf("s%03d", i)] = src
	}
	for i := range 10 {
		out[fmt.Sprintf("z%02d", i)] = fmt.Sprintf(`in_segment any [%q, %q] and not in_segment any [%q]`,
			fmt.Sprintf("s%03d", i*9), fmt.Sprintf("s%03d", i*9+3), fmt.Sprintf("s%03d", i*9+8))
	}
	return out
}
