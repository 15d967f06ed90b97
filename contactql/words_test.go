package contactql

import (
	"slices"
	"testing"
)

func TestNameTokens(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"SpacesAndPunctuation", "Ben  Haggerty-Smith!", []string{"Ben", "Haggerty", "Smith"}},
		{"ApostropheInsideWord", "O'Neil d'Arc", []string{"O'Neil", "d'Arc"}},
		{"DecimalNumberIsOneWord", "pay 3.50 now", []string{"pay", "3.50", "now"}},
		{"TrailingPunctuationDropped", "Mr. J.", []string{"Mr"}},
		{"ShortWordsDropped", "a b cd", []string{"cd"}},
		{"HanCharactersSeparate", "山田太郎", []string{"山", "田", "太", "郎"}},
		{"KatakanaRunIsOneWord", "タナカ Bob", []string{"タナカ", "Bob"}},
		{"MarksStayInWord", "नमस्ते", []string{"नमस्ते"}},
		{"UnderscoreJoins", "crazy_ben", []string{"crazy_ben"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := nameTokens(tc.in); !slices.Equal(got, tc.want) {
				t.Errorf("nameTokens(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestPrefixMatch(t *testing.T) {
	tests := []struct {
		name, value, query string
		want               bool
	}{
		{"WordPrefix", "maria jones", "jon", true},
		{"NotInsideWord", "maria jones", "ones", false},
		{"EightCharactersCompared", "haggerty", "haggertyxx", true},
		{"NinthCharacterIgnored", "haggertyz", "haggertyx", true},
		{"DifferenceWithinEightCounts", "haggertz", "haggerty", false},
		{"AnyQueryWord", "maria jones", "bob jo", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := prefixMatch(tc.value, tc.query, nameTokenMax); got != tc.want {
				t.Errorf("prefixMatch(%q, %q) = %v, want %v", tc.value, tc.query, got, tc.want)
			}
		})
	}
}
