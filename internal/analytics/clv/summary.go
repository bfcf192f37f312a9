package clv

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"time"
)

// Customer is one customer's calibration-period summary, the sufficient
// statistics of the BG/NBD, Pareto/NBD and Gamma-Gamma models.
type Customer struct {
	ID   string
	X    int     // repeat purchase days: distinct purchase days after the first
	TX   float64 // recency: time from the first purchase to the last repeat purchase (0 if X = 0)
	T    float64 // age: time from the first purchase to the end of the calibration period
	ZBar float64 // mean value of the repeat purchase days (0 if X = 0)
}

const day = 24 * time.Hour

// dayNumber is the UTC calendar day of t, counted from the Unix epoch.
func dayNumber(t time.Time) int64 {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
}

// inUnits converts a whole number of days to the unit, exactly rounded when
// the unit is a whole number of days (a week: days/7).
func inUnits(days int64, unit time.Duration) float64 {
	if unit%day == 0 {
		return float64(days) / float64(unit/day)
	}
	return float64(days) * float64(day) / float64(unit)
}

// Summarize builds the calibration-period summary of each customer, in the
// order of their first transaction in txs. Time is resolved to UTC calendar
// days: transactions of a customer on the same day are merged into one
// purchase whose value is their sum. The first purchase day only starts the
// customer's clock; x counts the later purchase days up to and including the
// calibration end's day, t_x is the time from the first to the last of them and
// T the time from the first to the calibration end's day, in units of unit
// (7*24h for weeks). zbar is the mean value of the repeat purchase days.
// Customers whose first purchase falls after the calibration end are left out.
// A zero calibrationEnd means the day of the last transaction.
func Summarize(txs []Transaction, calibrationEnd time.Time, unit time.Duration) ([]Customer, error) {
	if unit <= 0 {
		return nil, fmt.Errorf("summarize: time unit %v is not positive", unit)
	}
	if len(txs) == 0 {
		return nil, fmt.Errorf("summarize: %w", ErrNoCustomers)
	}
	end := dayNumber(calibrationEnd)
	if calibrationEnd.IsZero() {
		end = dayNumber(txs[0].Time)
		for _, tx := range txs {
			end = max(end, dayNumber(tx.Time))
		}
	}
	type purchase struct {
		cust  int
		day   int64
		value float64
	}
	index := make(map[string]int)
	var ids []string
	ps := make([]purchase, 0, len(txs))
	for _, tx := range txs {
		d := dayNumber(tx.Time)
		if d > end {
			continue
		}
		i, ok := index[tx.Customer]
		if !ok {
			i = len(ids)
			index[tx.Customer] = i
			ids = append(ids, tx.Customer)
		}
		ps = append(ps, purchase{i, d, tx.Value})
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("summarize: %w: every transaction is after the calibration end", ErrNoCustomers)
	}
	slices.SortStableFunc(ps, func(a, b purchase) int {
		return cmp.Or(cmp.Compare(a.cust, b.cust), cmp.Compare(a.day, b.day))
	})
	out := make([]Customer, len(ids))
	for lo := 0; lo < len(ps); {
		c := ps[lo].cust
		first, last := ps[lo].day, ps[lo].day
		hi := lo
		for hi < len(ps) && ps[hi].cust == c && ps[hi].day == first {
			hi++ // the first purchase day, merged; its value does not count
		}
		x, sum := 0, 0.0
		for hi < len(ps) && ps[hi].cust == c {
			d := ps[hi].day
			for hi < len(ps) && ps[hi].cust == c && ps[hi].day == d {
				sum += ps[hi].value
				hi++
			}
			x++
			last = d
		}
		cu := Customer{ID: ids[c], X: x, TX: inUnits(last-first, unit), T: inUnits(end-first, unit)}
		if x > 0 {
			cu.ZBar = sum / float64(x)
		}
		out[c] = cu
		lo = hi
	}
	return out, nil
}

// HoldoutPurchases counts each customer's purchase days after the calibration
// end's day up to and including the day of holdoutEnd, with the same day
// resolution as Summarize. Customers without such a purchase are absent.
func HoldoutPurchases(txs []Transaction, calibrationEnd, holdoutEnd time.Time) (map[string]int, error) {
	lo, hi := dayNumber(calibrationEnd), dayNumber(holdoutEnd)
	if hi < lo {
		return nil, errors.New("holdout: the holdout ends before the calibration period")
	}
	days := make(map[string]map[int64]struct{})
	for _, tx := range txs {
		d := dayNumber(tx.Time)
		if d <= lo || d > hi {
			continue
		}
		if days[tx.Customer] == nil {
			days[tx.Customer] = make(map[int64]struct{})
		}
		days[tx.Customer][d] = struct{}{}
	}
	out := make(map[string]int, len(days))
	for id, set := range days {
		out[id] = len(set)
	}
	return out, nil
}
