package saydo

import "testing"

func TestSuggest(t *testing.T) {
	known := []string{"owner", "delivered_by", "gap", "check", "objective"}
	tests := []struct{ in, want string }{
		{"ownr", "owner"},
		{"deliveredBy", "delivered_by"},
		{"gapp", "gap"},
		{"chek", "check"},
		{"objectve", "objective"},
		{"zebra", ""},
		{"gp", "gap"},
		{"xy", ""},
	}
	for _, tt := range tests {
		if got := Suggest(tt.in, known); got != tt.want {
			t.Errorf("Suggest(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
