package policy

// Regions of the countries that span several zones, keyed by ISO 3166-2
// subdivision code (without the country prefix). Each row is the code, the
// zone covering most of the region's population, then the region's names
// (matched case- and accent-insensitively, see normRegionName). A region
// split between zones maps to the zone of its majority: Florida, Indiana,
// Kentucky and Michigan to Eastern, Tennessee and Texas to Central, Idaho to
// Mountain (Boise), Chihuahua to America/Chihuahua rather than Ciudad Juárez.
type regionRow struct {
	code, zone string
	names      []string
}

func rows(code, zone string, names ...string) regionRow { return regionRow{code, zone, names} }

const (
	nyc = "America/New_York"
	chi = "America/Chicago"
	den = "America/Denver"
	lax = "America/Los_Angeles"
	tor = "America/Toronto"
	sao = "America/Sao_Paulo"
	mex = "America/Mexico_City"
	mos = "Europe/Moscow"
)

var regionRows = map[string][]regionRow{
	"US": {
		rows("AL", chi, "Alabama"), rows("AK", "America/Anchorage", "Alaska"), rows("AZ", "America/Phoenix", "Arizona"),
		rows("AR", chi, "Arkansas"), rows("CA", lax, "California"), rows("CO", den, "Colorado"),
		rows("CT", nyc, "Connecticut"), rows("DE", nyc, "Delaware"),
		rows("DC", nyc, "District of Columbia", "Washington DC", "Washington D.C."),
		rows("FL", nyc, "Florida"), rows("GA", nyc, "Georgia"), rows("HI", "Pacific/Honolulu", "Hawaii"),
		rows("ID", "America/Boise", "Idaho"), rows("IL", chi, "Illinois"),
		rows("IN", "America/Indiana/Indianapolis", "Indiana"), rows("IA", chi, "Iowa"), rows("KS", chi, "Kansas"),
		rows("KY", nyc, "Kentucky"), rows("LA", chi, "Louisiana"), rows("ME", nyc, "Maine"), rows("MD", nyc, "Maryland"),
		rows("MA", nyc, "Massachusetts"), rows("MI", "America/Detroit", "Michigan"), rows("MN", chi, "Minnesota"),
		rows("MS", chi, "Mississippi"), rows("MO", chi, "Missouri"), rows("MT", den, "Montana"),
		rows("NE", chi, "Nebraska"), rows("NV", lax, "Nevada"), rows("NH", nyc, "New Hampshire"),
		rows("NJ", nyc, "New Jersey"), rows("NM", den, "New Mexico"), rows("NY", nyc, "New York"),
		rows("NC", nyc, "North Carolina"), rows("ND", chi, "North Dakota"), rows("OH", nyc, "Ohio"),
		rows("OK", chi, "Oklahoma"), rows("OR", lax, "Oregon"), rows("PA", nyc, "Pennsylvania"),
		rows("RI", nyc, "Rhode Island"), rows("SC", nyc, "South Carolina"), rows("SD", chi, "South Dakota"),
		rows("TN", chi, "Tennessee"), rows("TX", chi, "Texas"), rows("UT", den, "Utah"), rows("VT", nyc, "Vermont"),
		rows("VA", nyc, "Virginia"), rows("WA", lax, "Washington"), rows("WV", nyc, "West Virginia"),
		rows("WI", chi, "Wisconsin"), rows("WY", den, "Wyoming"),
		// Territories, also reachable by their own country codes.
		rows("PR", "America/Puerto_Rico", "Puerto Rico"), rows("GU", "Pacific/Guam", "Guam"),
		rows("VI", "America/St_Thomas", "U.S. Virgin Islands", "US Virgin Islands", "Virgin Islands"),
		rows("AS", "Pacific/Pago_Pago", "American Samoa"), rows("MP", "Pacific/Saipan", "Northern Mariana Islands"),
	},
	"CA": {
		rows("AB", "America/Edmonton", "Alberta"),
		rows("BC", "America/Vancouver", "British Columbia", "Colombie-Britannique"),
		rows("MB", "America/Winnipeg", "Manitoba"),
		rows("NB", "America/Moncton", "New Brunswick", "Nouveau-Brunswick"),
		rows("NL", "America/St_Johns", "Newfoundland and Labrador", "Newfoundland", "Terre-Neuve-et-Labrador"),
		rows("NS", "America/Halifax", "Nova Scotia", "Nouvelle-Écosse"),
		rows("NT", "America/Edmonton", "Northwest Territories", "Territoires du Nord-Ouest"),
		rows("NU", "America/Iqaluit", "Nunavut"),
		rows("ON", tor, "Ontario"),
		rows("PE", "America/Halifax", "Prince Edward Island", "Île-du-Prince-Édouard"),
		rows("QC", tor, "Quebec", "Québec"),
		rows("SK", "America/Regina", "Saskatchewan"),
		rows("YT", "America/Whitehorse", "Yukon"),
	},
	"AU": {
		rows("NSW", "Australia/Sydney", "New South Wales"),
		rows("VIC", "Australia/Melbourne", "Victoria"),
		rows("QLD", "Australia/Brisbane", "Queensland"),
		rows("SA", "Australia/Adelaide", "South Australia"),
		rows("WA", "Australia/Perth", "Western Australia"),
		rows("TAS", "Australia/Hobart", "Tasmania"),
		rows("NT", "Australia/Darwin", "Northern Territory"),
		rows("ACT", "Australia/Sydney", "Australian Capital Territory", "Canberra"),
	},
	"BR": {
		rows("AC", "America/Rio_Branco", "Acre"), rows("AL", "America/Maceio", "Alagoas"),
		rows("AP", "America/Belem", "Amapá"), rows("AM", "America/Manaus", "Amazonas"),
		rows("BA", "America/Bahia", "Bahia"), rows("CE", "America/Fortaleza", "Ceará"),
		rows("DF", sao, "Distrito Federal", "Brasília"), rows("ES", sao, "Espírito Santo"),
		rows("GO", sao, "Goiás"), rows("MA", "America/Fortaleza", "Maranhão"),
		rows("MT", "America/Cuiaba", "Mato Grosso"), rows("MS", "America/Campo_Grande", "Mato Grosso do Sul"),
		rows("MG", sao, "Minas Gerais"), rows("PA", "America/Belem", "Pará"),
		rows("PB", "America/Fortaleza", "Paraíba"), rows("PR", sao, "Paraná"),
		rows("PE", "America/Recife", "Pernambuco"), rows("PI", "America/Fortaleza", "Piauí"),
		rows("RJ", sao, "Rio de Janeiro"), rows("RN", "America/Fortaleza", "Rio Grande do Norte"),
		rows("RS", sao, "Rio Grande do Sul"), rows("RO", "America/Porto_Velho", "Rondônia"),
		rows("RR", "America/Boa_Vista", "Roraima"), rows("SC", sao, "Santa Catarina"),
		rows("SP", sao, "São Paulo"), rows("SE", "America/Maceio", "Sergipe"),
		rows("TO", "America/Araguaina", "Tocantins"),
	},
	"MX": {
		rows("AGU", mex, "Aguascalientes"), rows("BCN", "America/Tijuana", "Baja California", "BC"),
		rows("BCS", "America/Mazatlan", "Baja California Sur"), rows("CAM", "America/Merida", "Campeche"),
		rows("CHP", mex, "Chiapas"), rows("CHH", "America/Chihuahua", "Chihuahua"),
		rows("CMX", mex, "Ciudad de México", "Mexico City", "CDMX", "DF", "Distrito Federal"),
		rows("COA", "America/Monterrey", "Coahuila", "Coahuila de Zaragoza"), rows("COL", mex, "Colima"),
		rows("DUR", "America/Monterrey", "Durango"), rows("GUA", mex, "Guanajuato"), rows("GRO", mex, "Guerrero"),
		rows("HID", mex, "Hidalgo"), rows("JAL", mex, "Jalisco"),
		rows("MEX", mex, "Estado de México", "México", "State of Mexico"),
		rows("MIC", mex, "Michoacán", "Michoacán de Ocampo"), rows("MOR", mex, "Morelos"),
		rows("NAY", "America/Mazatlan", "Nayarit"), rows("NLE", "America/Monterrey", "Nuevo León"),
		rows("OAX", mex, "Oaxaca"), rows("PUE", mex, "Puebla"), rows("QUE", mex, "Querétaro"),
		rows("ROO", "America/Cancun", "Quintana Roo"), rows("SLP", mex, "San Luis Potosí"),
		rows("SIN", "America/Mazatlan", "Sinaloa"), rows("SON", "America/Hermosillo", "Sonora"),
		rows("TAB", mex, "Tabasco"), rows("TAM", "America/Monterrey", "Tamaulipas"), rows("TLA", mex, "Tlaxcala"),
		rows("VER", mex, "Veracruz", "Veracruz de Ignacio de la Llave"), rows("YUC", "America/Merida", "Yucatán"),
		rows("ZAC", mex, "Zacatecas"),
	},
	"RU": {
		rows("KGD", "Europe/Kaliningrad", "Kaliningrad"),
		rows("MOW", mos, "Moscow", "Moskva"), rows("SPE", mos, "Saint Petersburg", "St Petersburg", "Sankt-Peterburg"),
		rows("AD", mos, "Adygea"), rows("CE", mos, "Chechnya", "Chechen Republic"), rows("CU", mos, "Chuvashia"),
		rows("DA", mos, "Dagestan"), rows("IN", mos, "Ingushetia"), rows("KB", mos, "Kabardino-Balkaria"),
		rows("KL", mos, "Kalmykia"), rows("KC", mos, "Karachay-Cherkessia"), rows("KR", mos, "Karelia"),
		rows("KO", mos, "Komi"), rows("ME", mos, "Mari El"), rows("MO", mos, "Mordovia"),
		rows("SE", mos, "North Ossetia", "North Ossetia-Alania"), rows("TA", mos, "Tatarstan"),
		rows("KDA", mos, "Krasnodar"), rows("STA", mos, "Stavropol"), rows("ARK", mos, "Arkhangelsk"),
		rows("BEL", mos, "Belgorod"), rows("BRY", mos, "Bryansk"), rows("IVA", mos, "Ivanovo"),
		rows("KLU", mos, "Kaluga"), rows("KOS", mos, "Kostroma"), rows("KRS", mos, "Kursk"),
		rows("LEN", mos, "Leningrad"), rows("LIP", mos, "Lipetsk"), rows("MOS", mos, "Moscow Oblast"),
		rows("MUR", mos, "Murmansk"), rows("NIZ", mos, "Nizhny Novgorod"), rows("NGR", mos, "Novgorod"),
		rows("ORL", mos, "Oryol", "Orel"), rows("PNZ", mos, "Penza"), rows("PSK", mos, "Pskov"),
		rows("ROS", mos, "Rostov"), rows("RYA", mos, "Ryazan"), rows("SMO", mos, "Smolensk"),
		rows("TAM", mos, "Tambov"), rows("TUL", mos, "Tula"), rows("TVE", mos, "Tver"),
		rows("VLA", mos, "Vladimir"), rows("VLG", mos, "Vologda"), rows("VOR", mos, "Voronezh"),
		rows("YAR", mos, "Yaroslavl"), rows("NEN", mos, "Nenets"),
		rows("VGG", "Europe/Volgograd", "Volgograd"), rows("KIR", "Europe/Kirov", "Kirov"),
		rows("SAM", "Europe/Samara", "Samara"), rows("UD", "Europe/Samara", "Udmurtia"),
		rows("ULY", "Europe/Ulyanovsk", "Ulyanovsk"), rows("AST", "Europe/Astrakhan", "Astrakhan"),
		rows("SAR", "Europe/Saratov", "Saratov"),
		rows("SVE", "Asia/Yekaterinburg", "Sverdlovsk", "Yekaterinburg"), rows("BA", "Asia/Yekaterinburg", "Bashkortostan"),
		rows("CHE", "Asia/Yekaterinburg", "Chelyabinsk"), rows("KGN", "Asia/Yekaterinburg", "Kurgan"),
		rows("ORE", "Asia/Yekaterinburg", "Orenburg"), rows("PER", "Asia/Yekaterinburg", "Perm"),
		rows("TYU", "Asia/Yekaterinburg", "Tyumen"), rows("KHM", "Asia/Yekaterinburg", "Khanty-Mansi"),
		rows("YAN", "Asia/Yekaterinburg", "Yamalo-Nenets"),
		rows("OMS", "Asia/Omsk", "Omsk"), rows("NVS", "Asia/Novosibirsk", "Novosibirsk"),
		rows("ALT", "Asia/Barnaul", "Altai Krai"), rows("AL", "Asia/Barnaul", "Altai Republic", "Altai"),
		rows("TOM", "Asia/Tomsk", "Tomsk"), rows("KEM", "Asia/Novokuznetsk", "Kemerovo", "Kuzbass"),
		rows("KYA", "Asia/Krasnoyarsk", "Krasnoyarsk"), rows("TY", "Asia/Krasnoyarsk", "Tuva"),
		rows("KK", "Asia/Krasnoyarsk", "Khakassia"),
		rows("IRK", "Asia/Irkutsk", "Irkutsk"), rows("BU", "Asia/Irkutsk", "Buryatia"),
		rows("ZAB", "Asia/Chita", "Zabaykalsky", "Zabaykalsky Krai"),
		rows("SA", "Asia/Yakutsk", "Sakha", "Yakutia", "Sakha (Yakutia)"), rows("AMU", "Asia/Yakutsk", "Amur"),
		rows("PRI", "Asia/Vladivostok", "Primorsky", "Primorye"), rows("KHA", "Asia/Vladivostok", "Khabarovsk"),
		rows("YEV", "Asia/Vladivostok", "Jewish Autonomous Oblast"),
		rows("MAG", "Asia/Magadan", "Magadan"), rows("SAK", "Asia/Sakhalin", "Sakhalin"),
		rows("KAM", "Asia/Kamchatka", "Kamchatka"), rows("CHU", "Asia/Anadyr", "Chukotka"),
	},
}

// countryNames maps names and codes people type for a country, normalized
// by normRegionName, to the alpha-2 code.
var countryNames = map[string]string{
	"usa": "US", "united states": "US", "united states of america": "US", "america": "US",
	"uk": "GB", "gbr": "GB", "united kingdom": "GB", "great britain": "GB", "england": "GB",
	"can": "CA", "canada": "CA",
	"aus": "AU", "australia": "AU",
	"bra": "BR", "brazil": "BR", "brasil": "BR",
	"mex": "MX", "mexico": "MX",
	"rus": "RU", "russia": "RU", "russian federation": "RU",
	"ind": "IN", "india": "IN", "deu": "DE", "germany": "DE", "fra": "FR", "france": "FR",
}

// regionIndex maps country → key → zone, where key is an upper-case code
// or a normalized name; built once from regionRows.
var regionIndex = buildRegionIndex()

func buildRegionIndex() map[string]map[string]string {
	idx := make(map[string]map[string]string, len(regionRows))
	for country, rs := range regionRows {
		m := make(map[string]string, 3*len(rs))
		for _, r := range rs {
			m[r.code] = r.zone
			for _, n := range r.names {
				m[normRegionName(n)] = r.zone
			}
		}
		idx[country] = m
	}
	return idx
}
