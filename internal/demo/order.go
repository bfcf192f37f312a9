package demo

import "math"

const maxItems = 8

type lineItem struct {
	prod int32
	qty  int32
}

// orderInfo is one order, rebuilt identically wherever it is needed (the
// purchase, a research visit before it, its refund and its review).
type orderInfo struct {
	items    [maxItems]lineItem
	n        int
	num      int
	flags    uint8
	coupon   int // index into coupons or -1
	store    int // store of a store order (else the customer's nearest store)
	payment  string
	subtotal int64 // cents
	discount int64
	revenue  int64 // the planted Gamma-Gamma draw
	tax      int64
	shipping int64
	total    int64
}

var (
	webPayments   = [...]string{"credit_card", "credit_card", "credit_card", "paypal", "apple_pay", "gift_card"}
	storePayments = [...]string{"credit_card", "credit_card", "debit_card", "cash", "apple_pay", "gift_card"}
)

// buildOrder draws order ref n: its revenue z ~ Gamma(p, ν) (the planted
// spend), then a basket whose subtotal covers z (plus the coupon's share);
// the difference is the order's discount, so revenue is exactly z.
func (g *generator) buildOrder(ref uint16, flags uint8, o *orderInfo) {
	l := &g.c.l
	r := g.og
	num := orderNum(ref)
	r.reset(g.w.seed, streamOrder, uint64(g.ci), uint64(num))
	*o = orderInfo{num: num, flags: flags, coupon: -1, store: nearestStore[l.city]}
	rev := int64(math.Round(r.gamma(ggP) / l.nu * 100))
	rev = max(rev, 100)
	if r.chance(0.1) {
		o.store = r.IntN(len(stores)) // shopping while travelling
	}
	if channelOf(flags) == chStore {
		o.payment = storePayments[r.IntN(len(storePayments))]
	} else {
		o.payment = webPayments[r.IntN(len(webPayments))]
	}
	target := rev
	if flags&ofCoupon != 0 {
		o.coupon = r.IntN(len(coupons))
		target = rev * 100 / int64(100-coupons[o.coupon].pct)
	}
	month := orderMonth(ref)
	remaining := target
	for o.n < maxItems-1 && remaining > 0 {
		cat := pickCategory(r, month, l.fav)
		if flags&ofTeam != 0 {
			cat = teamCategory(int(l.team))
		}
		ids := byCategory[cat]
		ub := countAtMost(ids, remaining)
		if ub == 0 {
			break
		}
		u := r.Float64()
		p := ids[min(ub-1, int(float64(ub)*(1-u*u)))]
		qty := int64(1)
		if flags&ofTeam != 0 && o.n == 0 {
			qty = max(1, min(25, remaining/catalog[p].price))
		}
		o.add(p, qty)
		remaining -= catalog[p].price * qty
	}
	if remaining > 0 {
		if k := countBelow(byPrice, remaining); k < len(byPrice) {
			p := byPrice[k]
			o.add(p, 1)
		} else {
			p := byPrice[len(byPrice)-1]
			o.add(p, (remaining+catalog[p].price-1)/catalog[p].price)
		}
	}
	for k := range o.n {
		o.subtotal += catalog[o.items[k].prod].price * int64(o.items[k].qty)
	}
	o.revenue = rev
	o.discount = o.subtotal - rev
	rate := cities[l.city].tax
	if channelOf(flags) == chStore {
		rate = cities[stores[o.store].city].tax
	} else if rev < 7500 {
		o.shipping = 795
	}
	o.tax = int64(math.Round(float64(rev) * rate))
	o.total = rev + o.tax + o.shipping
}

func (o *orderInfo) add(p int, qty int64) {
	for k := range o.n {
		if int(o.items[k].prod) == p {
			o.items[k].qty += int32(qty)
			return
		}
	}
	o.items[o.n] = lineItem{prod: int32(p), qty: int32(qty)}
	o.n++
}

// countAtMost returns how many products of ids (sorted by price) cost at most c.
func countAtMost(ids []int, c int64) int {
	lo, hi := 0, len(ids)
	for lo < hi {
		m := (lo + hi) / 2
		if catalog[ids[m]].price <= c {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// countBelow returns how many products of ids (sorted by price) cost less than c.
func countBelow(ids []int, c int64) int {
	lo, hi := 0, len(ids)
	for lo < hi {
		m := (lo + hi) / 2
		if catalog[ids[m]].price < c {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

func teamCategory(team int) int {
	switch teamNames[team%len(teamNames)].sport {
	case "camping":
		return 0
	case "hiking":
		return 1
	case "cycling":
		return 3
	case "fishing":
		return 4
	case "skiing":
		return 5
	}
	return 2
}

var orderPrefix = [4]byte{chWeb: 'W', chApp: 'A', chStore: 'S', chPhone: 'P'}

func (g *generator) appendOrderID(b []byte, o *orderInfo) []byte {
	b = append(b, orderPrefix[channelOf(o.flags)])
	return appendPadded(b, int64(g.ci)*1000+int64(o.num), 10)
}

func (g *generator) appendCheckoutID(b []byte, o *orderInfo) []byte {
	b = append(b, "chk_"...)
	return appendHex(b, hash3(g.w.seed, streamCart, uint64(g.ci), uint64(o.num)+1<<40), 16)
}

// orderProps writes the Order Completed properties of o.
func (g *generator) orderProps(o *orderInfo) {
	j := &g.j
	j.key("order_id")
	j.rawStrStart()
	j.b = g.appendOrderID(j.b, o)
	j.rawStrEnd()
	ch := channelOf(o.flags)
	if ch == chWeb || ch == chApp {
		j.key("checkout_id")
		j.rawStrStart()
		j.b = g.appendCheckoutID(j.b, o)
		j.rawStrEnd()
	}
	switch ch {
	case chWeb:
		j.kStr("affiliation", "NTO Web Store")
	case chApp:
		j.kStr("affiliation", "NTO App")
	case chStore:
		j.kStr("affiliation", "NTO Store")
		j.kStr("store_id", stores[o.store].id)
	case chPhone:
		j.kStr("affiliation", "NTO Phone Orders")
	}
	j.kMoney("subtotal", o.subtotal)
	j.kMoney("total", o.total)
	j.kMoney("revenue", o.revenue)
	j.kMoney("shipping", o.shipping)
	j.kMoney("tax", o.tax)
	j.kMoney("discount", o.discount)
	if o.coupon >= 0 {
		j.kStr("coupon", coupons[o.coupon].code)
	}
	j.kStr("currency", "USD")
	j.kStr("payment_method", o.payment)
	if o.flags&ofTeam != 0 {
		j.key("team_id")
		j.rawStrStart()
		j.b = appendTeamID(j.b, int(g.c.l.team))
		j.rawStrEnd()
	}
	j.keyArr("products")
	for k := range o.n {
		j.obj()
		g.product(int(o.items[k].prod), int(o.items[k].qty), k+1, false)
		j.endObj()
	}
	j.endArr()
}

func appendTeamID(b []byte, team int) []byte {
	b = append(b, "team-"...)
	return appendPadded(b, int64(team+1), 4)
}
