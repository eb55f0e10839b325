package voice

import (
	"testing"

	"github.com/saydo/saydo"
)

// TestRealZeroShotBlindB: a second set of promises written blind
// (promises_blindb_test.go), the dev set for changes aimed at promises
// written by someone else; the first blind set stays held out.
func TestRealZeroShotBlindB(t *testing.T) {
	blindSetReport(t, "blind B", blindBBankPromises, blindBBankGold, blindBCFPBPromises, blindBCFPBGold)
}

// blindSetReport evaluates a blind set's bank promises on both BANKING77
// splits and its CFPB promises on both CFPB halves.
func blindSetReport(t *testing.T, name string, bank []saydo.Promise, bankGold map[string]string, cfpb []saydo.Promise, cfpbGold map[string]string) {
	for _, sp := range bankSplitsOf(t, bankGold) {
		zeroShotReport(t, "BANKING77 "+name, bank, sp)
	}
	for _, sp := range cfpbSplitsOf(t, cfpbGold) {
		zeroShotReport(t, "CFPB "+name, cfpb, sp)
	}
}
