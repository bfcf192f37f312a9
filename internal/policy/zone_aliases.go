package policy

// zoneAliases maps names that are not canonical IANA zones, lower-cased, to
// one: tz "backward" links (which some systems no longer install, e.g.
// Debian's tzdata-legacy split), Windows zone ids, Ruby on Rails
// (ActiveSupport) zone names, UTC spellings, and the US abbreviations people
// store in profiles. Abbreviations mean the DST-observing US zone (EST →
// America/New_York, not tzdata's fixed-offset EST); ambiguous ones (IST,
// BST, CST as China) are left out and fall through.
var zoneAliases = map[string]string{
	// UTC spellings.
	"utc": "UTC", "gmt": "UTC", "z": "UTC", "zulu": "UTC", "universal": "UTC", "uct": "UTC", "gmt0": "UTC",
	"gmt+0": "UTC", "gmt-0": "UTC", "greenwich": "UTC", "etc/utc": "UTC", "etc/gmt": "UTC", "etc/uct": "UTC",
	"etc/universal": "UTC", "etc/zulu": "UTC", "etc/greenwich": "UTC", "utc+0": "UTC", "utc+00:00": "UTC",
	"coordinated universal time": "UTC",

	// US abbreviations and backward links.
	"et": nyc, "est": nyc, "edt": nyc, "est5edt": nyc, "us/eastern": nyc, "us/east-indiana": "America/Indiana/Indianapolis",
	"ct": chi, "cst": chi, "cdt": chi, "cst6cdt": chi, "us/central": chi, "us/indiana-starke": "America/Indiana/Knox",
	"mt": den, "mst": den, "mdt": den, "mst7mdt": den, "us/mountain": den, "navajo": den,
	"pt": lax, "pst": lax, "pdt": lax, "pst8pdt": lax, "us/pacific": lax, "us/pacific-new": lax,
	"akst": "America/Anchorage", "akdt": "America/Anchorage", "us/alaska": "America/Anchorage",
	"hst": "Pacific/Honolulu", "us/hawaii": "Pacific/Honolulu", "us/aleutian": "America/Adak",
	"us/arizona": "America/Phoenix", "us/michigan": "America/Detroit", "us/samoa": "Pacific/Pago_Pago",
	"america/indianapolis": "America/Indiana/Indianapolis", "america/fort_wayne": "America/Indiana/Indianapolis",
	"america/louisville": "America/Kentucky/Louisville", "america/knox_in": "America/Indiana/Knox",

	// Canada, Australia, Brazil, Mexico backward links.
	"canada/atlantic": "America/Halifax", "canada/central": "America/Winnipeg", "canada/eastern": tor,
	"canada/mountain": "America/Edmonton", "canada/newfoundland": "America/St_Johns", "canada/pacific": "America/Vancouver",
	"canada/saskatchewan": "America/Regina", "canada/yukon": "America/Whitehorse", "america/montreal": tor,
	"america/yellowknife": "America/Edmonton", "america/thunder_bay": tor, "america/nipigon": tor,
	"america/rainy_river": "America/Winnipeg", "america/pangnirtung": "America/Iqaluit",
	"australia/act": "Australia/Sydney", "australia/nsw": "Australia/Sydney", "australia/canberra": "Australia/Sydney",
	"australia/north": "Australia/Darwin", "australia/queensland": "Australia/Brisbane",
	"australia/south": "Australia/Adelaide", "australia/tasmania": "Australia/Hobart",
	"australia/victoria": "Australia/Melbourne", "australia/west": "Australia/Perth",
	"australia/yancowinna": "Australia/Broken_Hill", "australia/lhi": "Australia/Lord_Howe",
	"brazil/east": sao, "brazil/west": "America/Manaus", "brazil/acre": "America/Rio_Branco",
	"brazil/denoronha": "America/Noronha",
	"mexico/general":   mex, "mexico/bajanorte": "America/Tijuana", "mexico/bajasur": "America/Mazatlan",

	// Renamed zones.
	"asia/calcutta": "Asia/Kolkata", "asia/saigon": "Asia/Ho_Chi_Minh", "asia/katmandu": "Asia/Kathmandu",
	"asia/rangoon": "Asia/Yangon", "asia/dacca": "Asia/Dhaka", "asia/ulan_bator": "Asia/Ulaanbaatar",
	"asia/thimbu": "Asia/Thimphu", "asia/macao": "Asia/Macau", "asia/chongqing": "Asia/Shanghai",
	"asia/chungking": "Asia/Shanghai", "asia/harbin": "Asia/Shanghai", "asia/istanbul": "Europe/Istanbul",
	"asia/tel_aviv": "Asia/Jerusalem", "europe/kiev": "Europe/Kyiv", "europe/belfast": "Europe/London",
	"europe/nicosia": "Asia/Nicosia", "america/buenos_aires": "America/Argentina/Buenos_Aires",
	"america/cordoba": "America/Argentina/Cordoba", "america/godthab": "America/Nuuk",
	"atlantic/faeroe": "Atlantic/Faroe", "pacific/truk": "Pacific/Chuuk", "pacific/ponape": "Pacific/Pohnpei",
	"pacific/enderbury": "Pacific/Kanton", "africa/asmera": "Africa/Asmara", "america/santa_isabel": "America/Tijuana",
	"america/ensenada": "America/Tijuana",
	"gb":               "Europe/London", "gb-eire": "Europe/London", "eire": "Europe/Dublin", "nz": "Pacific/Auckland",
	"nz-chat": "Pacific/Chatham", "japan": "Asia/Tokyo", "prc": "Asia/Shanghai", "roc": "Asia/Taipei",
	"rok": "Asia/Seoul", "singapore": "Asia/Singapore", "hongkong": "Asia/Hong_Kong", "israel": "Asia/Jerusalem",
	"w-su": mos, "turkey": "Europe/Istanbul", "egypt": "Africa/Cairo", "iran": "Asia/Tehran",
	"poland": "Europe/Warsaw", "portugal": "Europe/Lisbon", "iceland": "Atlantic/Reykjavik",

	// Windows zone ids (CLDR windowsZones, territory 001).
	"eastern standard time": nyc, "central standard time": chi, "mountain standard time": den,
	"us mountain standard time": "America/Phoenix", "pacific standard time": lax,
	"alaskan standard time": "America/Anchorage", "hawaiian standard time": "Pacific/Honolulu",
	"atlantic standard time": "America/Halifax", "newfoundland standard time": "America/St_Johns",
	"canada central standard time": "America/Regina", "central standard time (mexico)": mex,
	"e. south america standard time": sao, "sa pacific standard time": "America/Bogota",
	"argentina standard time": "America/Argentina/Buenos_Aires",
	"gmt standard time":       "Europe/London", "greenwich standard time": "Atlantic/Reykjavik",
	"w. europe standard time": "Europe/Berlin", "romance standard time": "Europe/Paris",
	"central europe standard time": "Europe/Budapest", "central european standard time": "Europe/Warsaw",
	"e. europe standard time": "Europe/Chisinau", "gtb standard time": "Europe/Bucharest",
	"fle standard time": "Europe/Kyiv", "russian standard time": mos, "turkey standard time": "Europe/Istanbul",
	"israel standard time": "Asia/Jerusalem", "egypt standard time": "Africa/Cairo",
	"south africa standard time": "Africa/Johannesburg", "w. central africa standard time": "Africa/Lagos",
	"arabian standard time": "Asia/Dubai", "arab standard time": "Asia/Riyadh",
	"india standard time": "Asia/Kolkata", "pakistan standard time": "Asia/Karachi",
	"bangladesh standard time": "Asia/Dhaka", "se asia standard time": "Asia/Bangkok",
	"china standard time": "Asia/Shanghai", "singapore standard time": "Asia/Singapore",
	"taipei standard time": "Asia/Taipei", "tokyo standard time": "Asia/Tokyo", "korea standard time": "Asia/Seoul",
	"aus eastern standard time": "Australia/Sydney", "e. australia standard time": "Australia/Brisbane",
	"cen. australia standard time": "Australia/Adelaide", "aus central standard time": "Australia/Darwin",
	"w. australia standard time": "Australia/Perth", "tasmania standard time": "Australia/Hobart",
	"new zealand standard time": "Pacific/Auckland", "chatham islands standard time": "Pacific/Chatham",
	"nepal standard time": "Asia/Kathmandu",

	// Ruby on Rails (ActiveSupport::TimeZone) names.
	"eastern time (us & canada)": nyc, "central time (us & canada)": chi, "mountain time (us & canada)": den,
	"pacific time (us & canada)": lax, "alaska": "America/Anchorage", "hawaii": "Pacific/Honolulu",
	"arizona": "America/Phoenix", "indiana (east)": "America/Indiana/Indianapolis",
	"atlantic time (canada)": "America/Halifax", "newfoundland": "America/St_Johns", "saskatchewan": "America/Regina",
	"mexico city": mex, "brasilia": sao, "buenos aires": "America/Argentina/Buenos_Aires", "bogota": "America/Bogota",
	"london": "Europe/London", "edinburgh": "Europe/London", "dublin": "Europe/Dublin", "lisbon": "Europe/Lisbon",
	"paris": "Europe/Paris", "berlin": "Europe/Berlin", "amsterdam": "Europe/Amsterdam", "madrid": "Europe/Madrid",
	"rome": "Europe/Rome", "stockholm": "Europe/Stockholm", "warsaw": "Europe/Warsaw", "kyiv": "Europe/Kyiv",
	"moscow": mos, "istanbul": "Europe/Istanbul", "jerusalem": "Asia/Jerusalem", "cairo": "Africa/Cairo",
	"pretoria": "Africa/Johannesburg", "nairobi": "Africa/Nairobi", "abu dhabi": "Asia/Dubai", "riyadh": "Asia/Riyadh",
	"mumbai": "Asia/Kolkata", "new delhi": "Asia/Kolkata", "kolkata": "Asia/Kolkata", "chennai": "Asia/Kolkata",
	"karachi": "Asia/Karachi", "dhaka": "Asia/Dhaka", "kathmandu": "Asia/Kathmandu", "bangkok": "Asia/Bangkok",
	"jakarta": "Asia/Jakarta", "beijing": "Asia/Shanghai", "hong kong": "Asia/Hong_Kong",
	"taipei": "Asia/Taipei", "tokyo": "Asia/Tokyo", "seoul": "Asia/Seoul", "sydney": "Australia/Sydney",
	"melbourne": "Australia/Melbourne", "brisbane": "Australia/Brisbane", "adelaide": "Australia/Adelaide",
	"darwin": "Australia/Darwin", "perth": "Australia/Perth", "hobart": "Australia/Hobart",
	"auckland": "Pacific/Auckland", "wellington": "Pacific/Auckland", "chatham is.": "Pacific/Chatham",
}
