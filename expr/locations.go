package expr

import (
	"encoding/json"
	"regexp"
	"strings"
)

// Location levels of a location hierarchy.
const (
	LevelCountry  = 0
	LevelState    = 1
	LevelDistrict = 2
	LevelWard     = 3
)

// Location is one node of a location hierarchy (country > state > district > ward), as in
// flow assets: {"name": "Kigali City", "aliases": ["Kigali"], "children": [...]}.
type Location struct {
	Name     string      `json:"name"`
	Aliases  []string    `json:"aliases,omitempty"`
	Children []*Location `json:"children,omitempty"`
	parent   *Location
	level    int
}

// Path returns the location's path from the country, e.g. "Rwanda > Kigali City > Gasabo",
// the value location tests match and location fields store.
func (l *Location) Path() string {
	if l.parent == nil {
		return l.Name
	}
	return l.parent.Path() + " > " + l.Name
}

// Locations is a location hierarchy indexed for the location router tests. Set it on
// Environment.Locations to make has_state, has_district and has_ward work.
type Locations struct {
	byLevel [4]map[string][]*Location // lower-cased name or alias -> locations
}

// NewLocations indexes hierarchies whose roots are countries.
func NewLocations(roots []*Location) *Locations {
	ls := &Locations{}
	for i := range ls.byLevel {
		ls.byLevel[i] = map[string][]*Location{}
	}
	var walk func(l, parent *Location, level int)
	walk = func(l, parent *Location, level int) {
		l.parent, l.level = parent, level
		if level < len(ls.byLevel) {
			for _, name := range append([]string{l.Name}, l.Aliases...) {
				key := strings.ToLower(strings.TrimSpace(name))
				ls.byLevel[level][key] = append(ls.byLevel[level][key], l)
			}
		}
		for _, c := range l.Children {
			walk(c, l, level+1)
		}
	}
	for _, r := range roots {
		walk(r, nil, LevelCountry)
	}
	return ls
}

// ParseLocations reads a JSON array of location hierarchies (the assets' "locations").
func ParseLocations(data []byte) (*Locations, error) {
	var roots []*Location
	if err := json.Unmarshal(data, &roots); err != nil {
		return nil, err
	}
	return NewLocations(roots), nil
}

// find returns the locations at level named name (case-insensitive, aliases included),
// limited to children of parent when parent is set.
func (ls *Locations) find(name string, level int, parent *Location) []*Location {
	var out []*Location
	for _, l := range ls.byLevel[level][strings.ToLower(strings.TrimSpace(name))] {
		if parent == nil || l.parent == parent {
			out = append(out, l)
		}
	}
	return out
}

var (
	punctuationChars = regexp.MustCompile(`[^\p{L}\p{N}\s]+`)
	nonWord          = regexp.MustCompile(`[^\p{L}\p{N}_]+`)
)

// findFuzzy looks for a location named by the text: the whole text, the text without
// punctuation, then each word, then each pair of adjacent words.
func (ls *Locations) findFuzzy(text string, level int, parent *Location) []*Location {
	if found := ls.find(text, level, parent); len(found) > 0 {
		return found
	}
	if found := ls.find(punctuationChars.ReplaceAllString(text, ""), level, parent); len(found) > 0 {
		return found
	}
	var words []string
	for _, w := range nonWord.Split(strings.ToLower(text), -1) {
		if w != "" {
			words = append(words, w)
		}
	}
	for _, w := range words {
		if found := ls.find(w, level, parent); len(found) > 0 {
			return found
		}
	}
	for i := 0; i+1 < len(words); i++ {
		if found := ls.find(words[i]+" "+words[i+1], level, parent); len(found) > 0 {
			return found
		}
	}
	return nil
}

// Find returns the locations at level (LevelState, LevelDistrict, LevelWard) that text
// names, limited to children of parent when it is set, matching as the location tests do:
// the whole text, then without punctuation, then each word, then each pair of words. The
// engine uses it to parse location field values.
func (ls *Locations) Find(text string, level int, parent *Location) []*Location {
	if level < 0 || level >= len(ls.byLevel) {
		return nil
	}
	return ls.findFuzzy(text, level, parent)
}

// Level returns the location's depth: LevelCountry for a root, LevelState for its children...
func (l *Location) Level() int { return l.level }

// Parent returns the location's parent, nil for a country.
func (l *Location) Parent() *Location { return l.parent }
