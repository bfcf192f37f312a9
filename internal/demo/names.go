package demo

// Static vocabularies. Email domains use the reserved .example TLD (RFC 2606)
// so that no demo address can ever receive mail.

var firstNames = [...]string{
	"Olivia", "Liam", "Emma", "Noah", "Ava", "Oliver", "Sophia", "Elijah", "Isabella", "James",
	"Mia", "William", "Amelia", "Benjamin", "Harper", "Lucas", "Evelyn", "Henry", "Abigail", "Alexander",
	"Emily", "Mason", "Ella", "Michael", "Elizabeth", "Ethan", "Camila", "Daniel", "Luna", "Jacob",
	"Sofia", "Logan", "Avery", "Jackson", "Mila", "Sebastian", "Aria", "Jack", "Scarlett", "Aiden",
	"Penelope", "Owen", "Layla", "Samuel", "Chloe", "Matthew", "Victoria", "Joseph", "Madison", "Levi",
	"Eleanor", "Mateo", "Grace", "David", "Nora", "John", "Riley", "Wyatt", "Zoey", "Carter",
	"Hannah", "Julian", "Hazel", "Luke", "Lily", "Grayson", "Ellie", "Isaac", "Violet", "Jayden",
	"Lillian", "Theodore", "Zoe", "Gabriel", "Stella", "Anthony", "Aurora", "Dylan", "Natalie", "Leo",
	"Priya", "Wei", "Aiko", "Santiago", "Valentina", "Diego", "Ximena", "Kwame", "Amara", "Ravi",
	"Mei", "Hiroshi", "Fatima", "Omar", "Ingrid", "Lars", "Pia", "Marta", "Jose", "Lucia",
}

var lastNames = [...]string{
	"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
	"Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
	"Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
	"Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
	"Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts",
	"Gomez", "Phillips", "Evans", "Turner", "Diaz", "Parker", "Cruz", "Edwards", "Collins", "Reyes",
	"Stewart", "Morris", "Morales", "Murphy", "Cook", "Rogers", "Gutierrez", "Ortiz", "Morgan", "Cooper",
	"Peterson", "Bailey", "Reed", "Kelly", "Howard", "Ramos", "Kim", "Cox", "Ward", "Richardson",
	"Patel", "Chen", "Wang", "Singh", "Tanaka", "Okafor", "Lind", "Johansson", "Novak", "Kowalski",
	"Schmidt", "Rossi", "Dubois", "Silva", "Haddad", "Ivanova", "Murray", "Olsen", "Fischer", "Yamamoto",
}

var streetNames = [...]string{
	"Maple", "Oak", "Pine", "Cedar", "Elm", "Washington", "Lake", "Hill", "Park", "Main",
	"Ridge", "River", "Sunset", "Highland", "Forest", "Meadow", "Willow", "Aspen", "Summit", "Canyon",
	"Spruce", "Birch", "Juniper", "Lincoln", "Jefferson", "Franklin", "Valley", "Mountain View", "Trailhead", "Granite",
}

var streetSuffixes = [...]string{"St", "Ave", "Rd", "Ln", "Dr", "Way", "Ct", "Blvd", "Pl", "Ter"}

var emailDomains = [...]string{
	"gmail.example", "yahoo.example", "outlook.example", "icloud.example", "hotmail.example",
	"aol.example", "proton.example", "comcast.example",
}

var emailDomainCum = cumulative([]float64{45, 12, 12, 10, 7, 3, 3, 8})

// webDevice is a browser a person uses.
type webDevice struct {
	kind string // desktop, mobile, tablet
	ua   string
}

var webDevices = [...]webDevice{
	{"desktop", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"},
	{"desktop", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15"},
	{"desktop", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"},
	{"mobile", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"},
	{"mobile", "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36"},
	{"tablet", "Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"},
}

// appDevice is a phone running the NTO app.
type appDevice struct {
	os, osVersion, manufacturer, model string
}

var appDevices = [...]appDevice{
	{"iOS", "17.4", "Apple", "iPhone15,3"},
	{"iOS", "17.2", "Apple", "iPhone14,5"},
	{"iOS", "16.7", "Apple", "iPhone13,2"},
	{"Android", "14", "Google", "Pixel 8"},
	{"Android", "14", "Samsung", "SM-S911U"},
	{"Android", "13", "Samsung", "SM-A536U"},
}

// guide is a downloadable content piece (a lead magnet).
type guide struct {
	id, title string
	category  int
}

var guides = [...]guide{
	{"g-backpacking-101", "Beginner's Guide to Backpacking", 0},
	{"g-leave-no-trace", "Leave No Trace Camping Checklist", 0},
	{"g-layering", "Layering for Cold-Weather Hiking", 1},
	{"g-14ers", "Planning Your First Fourteener", 1},
	{"g-marathon-16wk", "16-Week Marathon Training Plan", 2},
	{"g-trail-running", "Getting Started with Trail Running", 2},
	{"g-first-road-bike", "Choosing Your First Road Bike", 3},
	{"g-bike-maintenance", "Home Bike Maintenance Basics", 3},
	{"g-fly-knots", "Essential Fly Fishing Knots", 4},
	{"g-trout-streams", "Reading a Trout Stream", 4},
	{"g-ski-wax", "Ski Waxing 101", 5},
	{"g-avalanche", "Avalanche Awareness for Resort Skiers", 5},
}

// monthThemes name the marketing themes of each month (emails, ads, catalogs).
var monthThemes = [12]struct{ slug, title string }{
	{"new-year-new-trails", "New Year, New Trails"},
	{"presidents-day-ski-sale", "Presidents' Day Ski Sale"},
	{"spring-gear-preview", "Spring Gear Preview"},
	{"trail-season-kickoff", "Trail Season Kickoff"},
	{"memorial-day-camping-sale", "Memorial Day Camping Sale"},
	{"summer-adventure-guide", "Summer Adventure Guide"},
	{"fourth-of-july-deals", "Fourth of July Deals"},
	{"back-to-trail", "Back to Trail"},
	{"fall-hiking-essentials", "Fall Hiking Essentials"},
	{"ski-season-early-access", "Ski Season Early Access"},
	{"black-friday-early-access", "Black Friday Early Access"},
	{"holiday-gift-guide", "Holiday Gift Guide"},
}

// adNetwork is a paid channel for Ad Clicked and UTM tags.
type adNetwork struct {
	source, medium string
	search         bool // has search keywords (utm_term)
}

var adNetworks = [...]adNetwork{
	{"google", "cpc", true},
	{"bing", "cpc", true},
	{"facebook", "paid_social", false},
	{"instagram", "paid_social", false},
	{"tiktok", "paid_social", false},
	{"google", "display", false},
}

var adNetworkCum = cumulative([]float64{40, 8, 20, 17, 8, 7})

var (
	socialSources   = [...]string{"facebook", "instagram", "reddit", "pinterest", "youtube"}
	socialReferrers = [...]string{"https://facebook.com/", "https://instagram.com/", "https://reddit.com/", "https://pinterest.com/", "https://youtube.com/"}
)

var searchTerms = [len(categories)][4]string{
	{"backpacking tent", "sleeping bag", "camp stove", "camping gear"},
	{"hiking boots", "rain jacket", "daypack", "trekking poles"},
	{"running shoes", "trail running shoes", "running watch", "running shorts"},
	{"road bike", "mountain bike", "bike helmet", "cycling jersey"},
	{"fly rod", "fishing waders", "fishing lures", "spinning reel"},
	{"skis", "ski boots", "snowboard", "ski jacket"},
}

var teamNames = [...]struct{ name, sport, industry string }{
	{"Lincoln High School Cross Country", "running", "Education"},
	{"Westview Middle School Track", "running", "Education"},
	{"Riverside Cycling Club", "cycling", "Sports & Recreation"},
	{"Cedar Ridge Ski Team", "skiing", "Education"},
	{"Bayside Youth Fishing League", "fishing", "Sports & Recreation"},
	{"Mountain View Nordic Club", "skiing", "Sports & Recreation"},
	{"Eastside Running Club", "running", "Sports & Recreation"},
	{"Pine Valley High Mountain Biking", "cycling", "Education"},
	{"Summit Outdoor School", "hiking", "Education"},
	{"Oak Park Trail Runners", "running", "Sports & Recreation"},
	{"Granite Peak Ski Academy", "skiing", "Education"},
	{"Troop 214 Scouts", "camping", "Nonprofit"},
}

var callReasons = [...]string{"order_status", "return_request", "product_question", "warranty_claim", "billing", "store_inquiry", "account_help"}

var callReasonCum = cumulative([]float64{30, 20, 20, 8, 8, 8, 6})

var refundReasons = [...]string{"wrong_size", "changed_mind", "defective", "arrived_late", "not_as_described"}

var interests = [...]string{"camping", "hiking", "running", "cycling", "fishing", "skiing", "travel", "fitness", "gardening", "photography", "hunting", "yoga"}

var coupons = [...]struct {
	code string
	pct  int // percent off, for display
}{{"TRAIL10", 10}, {"WELCOME15", 15}, {"SUMMIT20", 20}, {"GEARUP15", 15}}

var reviewBodies = [...]string{
	"Exactly what I needed for the trip. Solid build.",
	"Runs a little small, size up.",
	"Great value for the price.",
	"Held up well on a week in the backcountry.",
	"Lighter than expected, very happy.",
	"Quality is fine but shipping took a while.",
	"Returned the first one, the replacement is perfect.",
	"Would buy again. The staff at the store were helpful.",
}
