package expr

import "sync"

// parseCacheSize bounds the parsed-expression cache. Flows evaluate the same few hundred
// expressions for every contact, so caching parses saves most of the work; once full, new
// expressions are parsed each time rather than evicting (the cache can't grow without bound
// from user-typed expressions).
const parseCacheSize = 10000

type parsed struct {
	n   node
	err *Error
}

var parseCache = struct {
	sync.RWMutex
	m map[string]parsed
}{m: map[string]parsed{}}

// parseCached parses src, reusing earlier results; parsed trees are never modified, so they
// can be shared between evaluations and goroutines.
func parseCached(src string) (node, *Error) {
	parseCache.RLock()
	p, ok := parseCache.m[src]
	parseCache.RUnlock()
	if ok {
		return p.n, p.err
	}
	n, err := parse(src)
	parseCache.Lock()
	if len(parseCache.m) < parseCacheSize {
		parseCache.m[src] = parsed{n: n, err: err}
	}
	parseCache.Unlock()
	return n, err
}

// templateCacheSize bounds the scanned-template cache, for the same reasons.
const templateCacheSize = 10000

var templateCache = struct {
	sync.RWMutex
	m map[string][]segment
}{m: map[string][]segment{}}

// templateSegments scans tpl, reusing earlier results; segments are never modified once
// scanned, so they are shared between evaluations and goroutines.
func templateSegments(tpl string) []segment {
	templateCache.RLock()
	segs, ok := templateCache.m[tpl]
	templateCache.RUnlock()
	if ok {
		return segs
	}
	segs = scanSegments(tpl)
	templateCache.Lock()
	if len(templateCache.m) < templateCacheSize {
		templateCache.m[tpl] = segs
	}
	templateCache.Unlock()
	return segs
}
