package voice

import "testing"

// TestRealZeroShotBlindPromises: promises and gold labels written blind
// by someone who saw neither saydo's code nor the texts, only the label
// names (promises_blind_test.go), mapped with no labels, with their voice
// phrases and without them (docs/voice.md). Both BANKING77 splits and
// both CFPB halves are out of sample for these promises.
func TestRealZeroShotBlindPromises(t *testing.T) {
	bank, cfpb := bankSplitsOf(t, blindBankGold), cfpbSplitsOf(t, blindCFPBGold)
	for i := range bank {
		zeroShotReport(t, "BANKING77 blind", blindBankPromises, bank[i])
		zeroShotReport(t, "BANKING77 blind, no phrases", withoutPhrases(blindBankPromises), bank[i])
	}
	for i := range cfpb {
		zeroShotReport(t, "CFPB blind", blindCFPBPromises, cfpb[i])
		zeroShotReport(t, "CFPB blind, no phrases", withoutPhrases(blindCFPBPromises), cfpb[i])
	}
}
