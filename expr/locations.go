package expr

import (
	"encoding/json"
	"regexp"
	"strings"
	"sync"
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
// Environment.Locations to make has_state, has_district and has_ward work. Names are
// compared under the environment's input collation, so indexes are built per collation on
// first use; a Locations may be shared by goroutines.
type Locations struct {
	byLevel [4][]*Location // every location of each level
	paths   map[string]*Location

	mu      sync.Mutex
	indexes map[string]*[4]map[string][]*Location // collation -> level -> collated name -> locations
}

// NewLocations indexes hierarchies whose roots are countries.
func NewLocations(roots []*Location) *Locations {
	ls := &Locations{paths: map[string]*Location{}, indexes: map[string]*[4]map[string][]*Location{}}
	var walk func(l, parent *Location, level int)
	walk = func(l, parent *Location, level int) {
		l.parent, l.level = parent, level
		if level < len(ls.byLevel) {
			ls.byLevel[level] = append(ls.byLevel[level], l)
		}
		ls.paths[normalizePath(l.Path())] = l
		for _, c := range l.Children {
			walk(c, l, level+1)
		}
	}
	for _, r := range roots {
		walk(r, nil, LevelCountry)
	}
	return ls
}

// normalizePath lower-cases a "A > B > C" path and trims its parts.
func normalizePath(p string) string {
	parts := strings.Split(p, ">")
	for i := range parts {
		parts[i] = strings.ToLower(strings.TrimSpace(parts[i]))
	}
	return strings.Join(parts, " > ")
}

// ParseLocations reads a JSON array of location hierarchies (the assets' "locations").
func ParseLocations(data []byte) (*Locations, error) {
	var roots []*Location
	if err := json.Unmarshal(data, &roots); err != nil {
		return nil, err
	}
	return NewLocations(roots), nil
}

// index returns the name index for the environment's collation, building it once.
func (ls *Locations) index(env *Environment) *[4]map[string][]*Location {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	if idx, ok := ls.indexes[env.InputCollation]; ok {
		return idx
	}
	idx := &[4]map[string][]*Location{}
	for level, locs := range ls.byLevel {
		idx[level] = map[string][]*Location{}
		for _, l := range locs {
			for _, name := range append([]string{l.Name}, l.Aliases...) {
				key := collate(env, strings.TrimSpace(name))
				idx[level][key] = append(idx[level][key], l)
			}
		}
	}
	ls.indexes[env.InputCollation] = idx
	return idx
}

// find returns the locations at level named name (a name, an alias or a full path), limited
// to children of parent when parent is set.
func (ls *Locations) find(env *Environment, name string, level int, parent *Location) []*Location {
	if level == LevelCountry || strings.Contains(name, ">") {
		if l := ls.paths[normalizePath(name)]; l != nil && l.level == level {
			return []*Location{l}
		}
	}
	var out []*Location
	for _, l := range ls.index(env)[level][collate(env, strings.TrimSpace(name))] {
		if parent == nil || l.parent == parent {
			out = append(out, l)
		}
	}
	return out
}

var (
	spaceAndPunctuation = regexp.MustCompile(`[\s\p{P}]+`)
	locationWord        = regexp.MustCompile(`[\p{L}\d]+(-[\p{L}\d]+)*`)
)

// findFuzzy looks for a location named by the text: the whole text, the text without spaces
// and punctuation, then each word (hyphenated words kept whole), then each pair of words.
func (ls *Locations) findFuzzy(env *Environment, text string, level int, parent *Location) []*Location {
	if found := ls.find(env, text, level, parent); len(found) > 0 {
		return found
	}
	if found := ls.find(env, spaceAndPunctuation.ReplaceAllString(text, ""), level, parent); len(found) > 0 {
		return found
	}
	words := locationWord.FindAllString(text, -1)
	for _, w := range words {
		if found := ls.find(env, w, level, parent); len(found) > 0 {
			return found
		}
	}
	for i := 0; i+1 < len(words); i++ {
		if found := ls.find(env, words[i]+" "+words[i+1], level, parent); len(found) > 0 {
			return found
		}
	}
	return nil
}

// Find returns the locations at level (LevelState, LevelDistrict, LevelWard) that text
// names, limited to children of parent when it is set, matching as the location tests do:
// the whole text (or a full path), then without spaces and punctuation, then each word, then
// each pair of words. The engine can use it to parse location field values.
func (ls *Locations) Find(env *Environment, text string, level int, parent *Location) []*Location {
	if level < 0 || level >= len(ls.byLevel) {
		return nil
	}
	return ls.findFuzzy(env, text, level, parent)
}

// Level returns the location's depth: LevelCountry for a root, LevelState for its children...
func (l *Location) Level() int { return l.level }

// Parent returns the location's parent, nil for a country.
func (l *Location) Parent() *Location { return l.parent }
