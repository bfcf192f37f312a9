package demo

// purchase emits an order. Order Completed is stamped exactly at the planned
// purchase time (the anchor); the checkout funnel precedes it.
func (g *generator) purchase(a activity) {
	var o orderInfo
	g.buildOrder(a.n, a.flags, &o)
	switch channelOf(a.flags) {
	case chStore:
		g.storeOrder(&o)
	case chPhone:
		g.phoneOrder(&o)
	default:
		g.onlineOrder(&o, a)
	}
}

// signupDevice is the browser used to sign up.
func (g *generator) signupDevice() int {
	l := &g.c.l
	if l.signup-l.acq < hour {
		return g.acqDevice()
	}
	return int(hash3(g.w.seed, streamDevice, uint64(g.ci), 8) % uint64(l.nWeb))
}

func (g *generator) onlineOrder(o *orderInfo, a activity) {
	c, r := g.c, g.g
	at := g.anchorMs
	start := at - int64(6*minute+r.IntN(30*minute))*1000
	dev := g.webDevice()
	checkout := o.num == 0 && c.l.checkout
	if checkout {
		// Signed up while checking out: the visit continues after the sign-up
		// events, which all lie within signupSpan of the sign-up.
		start = max(start, g.w.ms(c.l.signup)+signupSpan+1000)
		dev = g.signupDevice()
	}
	var s session
	if channelOf(a.flags) == chApp {
		g.newSession(&s, srcApp, true, appDev, start, at)
	} else {
		g.newSession(&s, srcWeb, true, dev, start, at)
		if !checkout {
			g.login(&s)
		}
	}
	first := int(o.items[0].prod)
	s.cat = catalog[first].category
	g.landing(&s, entryOf(a.flags), page{kind: pgProduct, arg: first})
	for k := range o.n {
		p := int(o.items[k].prod)
		if k > 0 {
			g.productView(&s, p)
		} else {
			j := g.track(&s, evProductViewed)
			g.product(p, 0, 0, true)
			j.kStr("currency", "USD")
			g.end(&s)
		}
		g.track(&s, evProductAdded)
		g.cartID(&s)
		g.product(p, int(o.items[k].qty), 0, false)
		g.end(&s)
	}
	g.view(&s, page{kind: pgCart})
	g.orderCart(&s, o, evCartViewed)
	g.orderCart(&s, o, evCheckoutStarted)
	g.view(&s, page{kind: pgShipping})
	j := g.track(&s, evCheckoutStepCompleted)
	g.checkoutID(o)
	j.kInt("step", 1)
	j.kStr("shipping_method", shippingMethod(o))
	g.end(&s)
	if o.coupon >= 0 {
		j = g.track(&s, evCouponEntered)
		g.cartID(&s)
		j.kStr("coupon_id", coupons[o.coupon].code)
		g.end(&s)
		j = g.track(&s, evCouponApplied)
		g.cartID(&s)
		j.kStr("coupon_id", coupons[o.coupon].code)
		j.kStr("coupon_name", coupons[o.coupon].code)
		j.kMoney("discount", o.discount)
		g.end(&s)
	}
	g.view(&s, page{kind: pgPayment})
	j = g.track(&s, evCheckoutStepCompleted)
	g.checkoutID(o)
	j.kInt("step", 2)
	j.kStr("payment_method", o.payment)
	g.end(&s)
	j = g.track(&s, evPaymentInfoEntered)
	g.checkoutID(o)
	j.key("order_id")
	j.rawStrStart()
	j.b = g.appendOrderID(j.b, o)
	j.rawStrEnd()
	j.kInt("step", 2)
	j.kStr("payment_method", o.payment)
	g.end(&s)

	g.trackAt(&s, evOrderCompleted, at)
	g.orderProps(o)
	g.end(&s)
	s.clock, s.limit = at, 0
	g.view(&s, page{kind: pgConfirm})
}

func shippingMethod(o *orderInfo) string {
	if o.shipping == 0 {
		return "free_ground"
	}
	return "standard"
}

func (g *generator) checkoutID(o *orderInfo) {
	j := &g.j
	j.key("checkout_id")
	j.rawStrStart()
	j.b = g.appendCheckoutID(j.b, o)
	j.rawStrEnd()
}

// orderCart writes Cart Viewed or Checkout Started for the order's basket.
func (g *generator) orderCart(s *session, o *orderInfo, kind evKind) {
	j := g.track(s, kind)
	g.cartID(s)
	if kind == evCheckoutStarted {
		g.checkoutID(o)
		j.kMoney("value", o.subtotal)
		j.kMoney("revenue", o.revenue)
		j.kMoney("discount", o.discount)
		j.kStr("currency", "USD")
	}
	j.keyArr("products")
	for k := range o.n {
		j.obj()
		g.product(int(o.items[k].prod), int(o.items[k].qty), k+1, false)
		j.endObj()
	}
	j.endArr()
	g.end(s)
}

// posCtx writes the context of a point-of-sale event in store st.
func (g *generator) posCtx(st int) {
	j := g.serverCtx()
	g.storeLocation(st)
	if g.c.l.has(fLoyalty) {
		g.scratch = appendLoyaltyID(g.scratch[:0], g.ci)
		g.externalID("loyalty_id", g.scratch)
	}
	j.endObj()
}

func (g *generator) storeOrder(o *orderInfo) {
	at := g.anchorMs
	if o.coupon >= 0 {
		j := g.call(srcPOS, evCouponRedeemed, at-int64(20+g.g.IntN(60))*1000, true, devNone)
		j.keyObj("properties")
		j.kStr("coupon_id", coupons[o.coupon].code)
		j.kStr("coupon_name", coupons[o.coupon].code)
		j.kMoney("discount", o.discount)
		j.key("order_id")
		j.rawStrStart()
		j.b = g.appendOrderID(j.b, o)
		j.rawStrEnd()
		j.kStr("store_id", stores[o.store].id)
		j.endObj()
		g.posCtx(o.store)
		g.finish()
	}
	j := g.call(srcPOS, evOrderCompleted, at, true, devNone)
	j.keyObj("properties")
	g.orderProps(o)
	j.endObj()
	g.posCtx(o.store)
	g.finish()
}

func (g *generator) phoneOrder(o *orderInfo) {
	at := g.anchorMs
	j := g.call(srcCallCenter, evOrderCompleted, at, true, devNone)
	j.keyObj("properties")
	g.orderProps(o)
	j.endObj()
	g.callCtx()
	g.finish()
	g.callCompleted(at+int64(30+g.g.IntN(120))*1000, "phone_order", o)
}

// callCtx writes the call center's context: the caller's phone number as the
// agent desktop records it (national format, normalized by Cairn).
func (g *generator) callCtx() {
	j := g.serverCtx()
	g.scratch = appendPhone(g.scratch[:0], &g.c.l, g.ci, true)
	g.externalID("phone", g.scratch)
	j.endObj()
}

// refund emits the return of one line of order a.n, in a store or by mail.
func (g *generator) refund(a activity) {
	var o orderInfo
	g.buildOrder(a.n, a.flags&^ofReturnStore, &o)
	r := g.aux
	r.reset(g.w.seed, streamRefund, uint64(g.ci), uint64(o.num))
	item := o.items[r.IntN(o.n)]
	qty := 1 + r.IntN(int(item.qty))
	line := catalog[item.prod].price * int64(qty)
	amount := line * o.revenue / max(o.subtotal, 1)
	tax := amount * o.tax / max(o.revenue, 1)
	reason := refundReasons[r.IntN(len(refundReasons))]
	inStore := a.flags&ofReturnStore != 0
	src := srcWeb
	if inStore {
		src = srcPOS
	}
	j := g.call(src, evOrderRefunded, g.anchorMs, true, devNone)
	j.keyObj("properties")
	j.key("order_id")
	j.rawStrStart()
	j.b = g.appendOrderID(j.b, &o)
	j.rawStrEnd()
	j.kMoney("total", amount+tax)
	j.kMoney("revenue", amount)
	j.kMoney("tax", tax)
	j.kStr("currency", "USD")
	j.kStr("reason", reason)
	if inStore {
		j.kStr("store_id", stores[nearestStore[g.c.l.city]].id)
	}
	j.keyArr("products")
	j.obj()
	g.product(int(item.prod), qty, 0, false)
	j.endObj()
	j.endArr()
	j.endObj()
	if inStore {
		g.posCtx(nearestStore[g.c.l.city])
	} else {
		g.serverCtx().endObj()
	}
	g.finish()
}

var ratingCum = cumulative([]float64{6, 7, 12, 30, 45})

// review emits a product review of one product of order a.n.
func (g *generator) review(a activity) {
	var o orderInfo
	g.buildOrder(a.n, a.flags, &o)
	r := g.g
	p := int(o.items[r.IntN(o.n)].prod)
	var s session
	start := g.anchorMs + int64(r.IntN(1000))
	if g.c.install != never && a.at > g.c.install && r.chance(0.4) {
		g.newSession(&s, srcApp, true, appDev, start, 0)
		g.appOpened(&s, false)
	} else {
		g.newSession(&s, srcWeb, true, g.webDevice(), start, 0)
		g.login(&s)
	}
	g.view(&s, page{kind: pgReview, arg: p})
	j := g.track(&s, evProductReviewed)
	j.kStr("product_id", catalog[p].id)
	j.key("review_id")
	j.rawStrStart()
	j.b = append(j.b, "rv_"...)
	j.b = appendHex(j.b, hash3(g.w.seed, streamOrder, uint64(g.ci), uint64(o.num)+1<<41), 12)
	j.rawStrEnd()
	j.kStr("review_body", reviewBodies[r.IntN(len(reviewBodies))])
	j.kInt("rating", int64(1+r.pick(ratingCum)))
	g.end(&s)
}
