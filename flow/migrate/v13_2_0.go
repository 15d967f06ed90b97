package migrate

// 13.2.0: flow languages must be ISO 639-3 codes. Old definitions used "base" (or other
// non-3-letter values) for "no particular language"; that becomes "und", and a translation
// into "und" would then be a translation into the base language itself, so it is dropped.
func init() { register("13.2.0", migrate13_2_0) }

func migrate13_2_0(f Flow, cfg *Config) error {
	if lang := str(f, "language"); len(lang) != 3 {
		f["language"] = "und"
		if loc := f.localization(); loc != nil {
			delete(loc, "und")
		}
	}
	return nil
}
