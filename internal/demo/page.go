package demo

// Pages of nto.example and screens of the app.
type pageKind uint8

const (
	pgHome pageKind = iota
	pgCategory
	pgProduct
	pgSearch
	pgCart
	pgShipping
	pgPayment
	pgConfirm
	pgGuide
	pgSignup
	pgLogin
	pgStores
	pgCatalog
	pgReview
	pgReturns
)

var pageMeta = [...]struct{ name, screen, path, title string }{
	pgHome:     {"Home", "Home", "/", "Northern Trail Outfitters | Gear for Every Trail"},
	pgCategory: {"Category", "Category", "/c/", " Gear | NTO"},
	pgProduct:  {"Product", "Product Detail", "/p/", " | NTO"},
	pgSearch:   {"Search", "Search", "/search", "Search results | NTO"},
	pgCart:     {"Cart", "Cart", "/cart", "Your Cart | NTO"},
	pgShipping: {"Checkout Shipping", "Checkout Shipping", "/checkout/shipping", "Checkout: Shipping | NTO"},
	pgPayment:  {"Checkout Payment", "Checkout Payment", "/checkout/payment", "Checkout: Payment | NTO"},
	pgConfirm:  {"Order Confirmation", "Order Confirmation", "/checkout/confirmation", "Thank you for your order | NTO"},
	pgGuide:    {"Guide", "Guide", "/guides/", " | NTO Expert Advice"},
	pgSignup:   {"Sign Up", "Sign Up", "/account/signup", "Create your account | NTO"},
	pgLogin:    {"Sign In", "Sign In", "/account/login", "Sign in | NTO"},
	pgStores:   {"Store Locator", "Stores", "/stores/", "Store details | NTO"},
	pgCatalog:  {"Catalog", "Catalog", "/catalog", "Shop the Catalog | NTO"},
	pgReview:   {"Write a Review", "Write a Review", "/p/", "Write a review | NTO"},
	pgReturns:  {"Returns", "Returns", "/account/orders/returns", "Returns | NTO"},
}

// utm is a campaign's UTM tags (context.campaign and the landing URL).
type utm struct{ source, medium, name, term, content string }

// page is one page view (or app screen).
type page struct {
	kind pageKind
	arg  int    // category, product, guide or store index
	term string // search query
	ref  string // external referrer (landing pages)
	utm  *utm   // landing pages reached through a campaign
}

func appendQueryValue(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ':
			b = append(b, '+')
		case c == '&' || c == '=' || c == '#' || c == '?' || c == '+' || c == '%':
			b = append(b, '%', "0123456789ABCDEF"[c>>4], "0123456789ABCDEF"[c&15])
		default:
			b = append(b, c)
		}
	}
	return b
}

func (pg *page) appendPath(b []byte) []byte {
	m := &pageMeta[pg.kind]
	b = append(b, m.path...)
	switch pg.kind {
	case pgCategory:
		b = append(b, categories[pg.arg].slug...)
	case pgProduct:
		b = append(b, catalog[pg.arg].slug...)
	case pgReview:
		b = append(b, catalog[pg.arg].slug...)
		b = append(b, "/review"...)
	case pgGuide:
		b = append(b, guides[pg.arg].id[2:]...)
	case pgStores:
		b = append(b, stores[pg.arg].id...)
	}
	return b
}

func (pg *page) appendSearch(b []byte) []byte {
	switch {
	case pg.utm != nil:
		u := pg.utm
		b = append(b, "?utm_source="...)
		b = appendQueryValue(b, u.source)
		b = append(b, "&utm_medium="...)
		b = appendQueryValue(b, u.medium)
		b = append(b, "&utm_campaign="...)
		b = appendQueryValue(b, u.name)
		if u.term != "" {
			b = append(b, "&utm_term="...)
			b = appendQueryValue(b, u.term)
		}
		if u.content != "" {
			b = append(b, "&utm_content="...)
			b = appendQueryValue(b, u.content)
		}
	case pg.kind == pgSearch:
		b = append(b, "?q="...)
		b = appendQueryValue(b, pg.term)
	}
	return b
}

func (pg *page) appendURL(b []byte) []byte {
	b = append(b, siteURL...)
	b = pg.appendPath(b)
	return pg.appendSearch(b)
}

func (pg *page) appendTitle(b []byte) []byte {
	m := &pageMeta[pg.kind]
	switch pg.kind {
	case pgCategory:
		b = append(b, categories[pg.arg].name...)
	case pgProduct:
		b = append(b, catalog[pg.arg].name...)
	case pgGuide:
		b = append(b, guides[pg.arg].title...)
	}
	return append(b, m.title...)
}

// pageFields writes path, referrer, search, title and url; prev (when not nil)
// is the page the visitor came from inside the site.
func (g *generator) pageFields(pg *page, prev *page) {
	j := &g.j
	j.key("path")
	j.rawStrStart()
	j.b = pg.appendPath(j.b)
	j.rawStrEnd()
	j.key("referrer")
	j.rawStrStart()
	if prev != nil {
		j.b = prev.appendURL(j.b)
	} else {
		j.b = append(j.b, pg.ref...)
	}
	j.rawStrEnd()
	j.key("search")
	j.rawStrStart()
	j.b = pg.appendSearch(j.b)
	j.rawStrEnd()
	j.key("title")
	j.rawStrStart()
	j.b = pg.appendTitle(j.b)
	j.rawStrEnd()
	j.key("url")
	j.rawStrStart()
	j.b = pg.appendURL(j.b)
	j.rawStrEnd()
}
