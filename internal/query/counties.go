package query

// County is one of Sweden's 21 counties (län) with an approximate centre,
// for drawing the map of clusters by county.
type County struct {
	Name string  // as the registry spells it, e.g. "Östergötlands län"
	Lat  float64 // degrees north
	Lon  float64 // degrees east
}

// Counties lists Sweden's counties from south to north, each with the
// approximate geographic centre of its land area.
var Counties = []County{
	{"Skåne län", 55.85, 13.55},
	{"Blekinge län", 56.25, 15.25},
	{"Kronobergs län", 56.75, 14.45},
	{"Hallands län", 56.90, 12.75},
	{"Kalmar län", 57.25, 16.20},
	{"Jönköpings län", 57.45, 14.40},
	{"Gotlands län", 57.50, 18.55},
	{"Västra Götalands län", 58.20, 12.60},
	{"Östergötlands län", 58.35, 15.60},
	{"Södermanlands län", 59.05, 16.75},
	{"Örebro län", 59.30, 15.00},
	{"Stockholms län", 59.45, 18.15},
	{"Västmanlands län", 59.70, 16.20},
	{"Värmlands län", 59.75, 13.20},
	{"Uppsala län", 60.05, 17.60},
	{"Dalarnas län", 61.05, 14.50},
	{"Gävleborgs län", 61.55, 16.30},
	{"Västernorrlands län", 63.05, 17.50},
	{"Jämtlands län", 63.25, 14.20},
	{"Västerbottens län", 64.75, 17.80},
	{"Norrbottens län", 66.85, 20.30},
}

// SwedenOutline is a coarse outline of the Swedish mainland as (lon, lat)
// points, clockwise from the southern tip, and GotlandOutline the same for
// Gotland. They are for orientation on the county map, not for measuring.
var (
	SwedenOutline = [][2]float64{
		{13.35, 55.34}, {12.98, 55.60}, {12.70, 56.05}, {12.45, 56.30}, {12.85, 56.67}, {12.25, 57.10},
		{11.85, 57.70}, {11.50, 58.30}, {11.17, 58.93}, {11.45, 59.10}, {12.10, 59.90}, {12.50, 60.30},
		{12.30, 61.00}, {12.10, 62.00}, {12.20, 63.00}, {12.10, 63.30}, {13.90, 64.00}, {14.10, 64.50},
		{14.50, 65.30}, {15.40, 66.10}, {16.40, 67.00}, {17.90, 67.90}, {18.50, 68.40}, {20.00, 68.50},
		{20.60, 69.06}, {21.00, 68.90}, {22.40, 68.40}, {23.60, 67.90}, {23.50, 66.80}, {24.15, 65.80},
		{22.15, 65.58}, {21.20, 64.75}, {20.30, 63.80}, {18.70, 63.30}, {17.95, 62.60}, {17.40, 62.40},
		{17.20, 61.70}, {17.20, 60.70}, {18.45, 60.35}, {18.90, 59.60}, {17.95, 58.90}, {16.80, 58.60},
		{16.65, 57.75}, {16.35, 56.65}, {15.60, 56.15}, {14.60, 56.00}, {14.30, 55.90}, {14.35, 55.55},
		{13.80, 55.42},
	}
	GotlandOutline = [][2]float64{
		{18.10, 57.05}, {18.35, 56.90}, {18.75, 57.30}, {18.95, 57.65}, {19.30, 57.95}, {18.80, 57.90}, {18.30, 57.55},
	}
)

// CountyByName returns the county with the given name.
func CountyByName(name string) (County, bool) {
	for _, c := range Counties {
		if c.Name == name {
			return c, true
		}
	}
	return County{}, false
}
