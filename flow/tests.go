package flow

// routerTests are the router test names a switch case may use (spec §4). The engine supplies
// their behaviour; the definition only checks the name exists.
var routerTests = map[string]bool{
	"has_all_words": true, "has_any_word": true, "has_beginning": true, "has_category": true,
	"has_date": true, "has_date_eq": true, "has_date_gt": true, "has_date_lt": true,
	"has_district": true, "has_email": true, "has_error": true, "has_group": true,
	"has_intent": true, "has_number": true, "has_number_between": true, "has_number_eq": true,
	"has_number_gt": true, "has_number_gte": true, "has_number_lt": true, "has_number_lte": true,
	"has_only_phrase": true, "has_only_text": true, "has_pattern": true, "has_phone": true,
	"has_phrase": true, "has_state": true, "has_text": true, "has_time": true,
	"has_top_intent": true, "has_value": true, "has_ward": true,
}

// IsRouterTest reports whether name is a router test a switch case may use.
func IsRouterTest(name string) bool { return routerTests[name] }
