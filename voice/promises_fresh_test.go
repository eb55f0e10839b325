package voice

import (
	"testing"

	"github.com/saydo/saydo"
)

// freshBankPromises are six more promises a bank might make, written
// from BANKING77's intent names alone after the self-training of
// selftrain.go was chosen, and committed before any evaluation ran with
// them: a check of the method on promises it was not tuned with. They
// cover intents bankPromises leaves out.
var freshBankPromises = []saydo.Promise{
	{ID: "atm-gives-right-cash", Says: "Cash machines give you the right amount and never keep your card.", Metric: "atm_incidents",
		Voice: en("ATM", "cash machine", "wrong amount of cash", "ATM kept my card", "ATM swallowed my card")},
	{ID: "only-your-payments", Says: "Only payments you made appear on your account.", Metric: "unrecognised_payment_share",
		Voice: en("don't recognise", "did not make this payment", "charged twice", "payment I didn't make")},
	{ID: "identity-checked-in-a-day", Says: "We verify your identity within a day.", Metric: "verification_hours",
		Voice: en("verify my identity", "identity verification", "verification failed", "why do I need to verify")},
	{ID: "pin-help-at-once", Says: "If you forget your PIN or passcode, or it is blocked, we help you at once.", Metric: "pin_unblock_minutes",
		Voice: en("PIN blocked", "forgot my PIN", "forgot my passcode", "change my PIN", "reset passcode")},
	{ID: "transfers-go-through", Says: "Your transfers go through, to any beneficiary.", Metric: "failed_transfer_share",
		Voice: en("transfer failed", "transfer was declined", "beneficiary not allowed", "can't add beneficiary")},
	{ID: "mobile-wallets-work", Says: "Pay with Apple Pay or Google Pay wherever cards are accepted.", Metric: "wallet_failures",
		Voice: en("apple pay", "google pay")},
}

// freshBankGold maps BANKING77 intents to freshBankPromises.
var freshBankGold = map[string]string{
	"wrong_amount_of_cash_received": "atm-gives-right-cash", "card_swallowed": "atm-gives-right-cash",
	"declined_cash_withdrawal": "atm-gives-right-cash", "pending_cash_withdrawal": "atm-gives-right-cash",
	"card_payment_not_recognised": "only-your-payments", "cash_withdrawal_not_recognised": "only-your-payments",
	"direct_debit_payment_not_recognised": "only-your-payments", "transaction_charged_twice": "only-your-payments",
	"verify_my_identity": "identity-checked-in-a-day", "unable_to_verify_identity": "identity-checked-in-a-day",
	"why_verify_identity": "identity-checked-in-a-day", "verify_source_of_funds": "identity-checked-in-a-day",
	"pin_blocked": "pin-help-at-once", "change_pin": "pin-help-at-once", "passcode_forgotten": "pin-help-at-once",
	"failed_transfer": "transfers-go-through", "declined_transfer": "transfers-go-through", "beneficiary_not_allowed": "transfers-go-through",
	"apple_pay_or_google_pay": "mobile-wallets-work",
}

// TestRealZeroShotFreshPromises: freshBankPromises on BANKING77's
// train.csv, labels hidden (docs/voice.md).
func TestRealZeroShotFreshPromises(t *testing.T) {
	zeroShotReport(t, "BANKING77", freshBankPromises, bankSplit(t, "fresh promises: train.csv", "train.csv", freshBankGold))
}
