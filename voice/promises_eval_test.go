package voice

import "github.com/saydo/saydo"

// The promises of the zero-shot evaluation (issue 9), written before any
// evaluation was run with them, from the intent and issue names alone, as
// a bank's and a credit bureau's CX lead might write them; and which
// labels speak of which promise (every other label is "none"). They were
// committed before the first run; changes after that are listed in
// docs/voice.md with the figures both before and after.

func en(phrases ...string) map[string][]string { return map[string][]string{"en": phrases} }

// bankPromises are eight promises a bank might make.
var bankPromises = []saydo.Promise{
	{ID: "card-arrives-in-a-week", Says: "Your new card arrives within 7 days of ordering.", Metric: "card_delivery_days",
		Voice: en("card has not arrived", "where is my card", "still waiting for my card", "when will my card arrive", "track my card")},
	{ID: "transfers-same-day", Says: "Bank transfers reach the recipient the same day.", Metric: "transfer_arrival_hours",
		Voice: en("transfer has not arrived", "transfer is pending", "recipient has not received the money", "how long does a transfer take", "money I sent")},
	{ID: "refunds-in-5-days", Says: "Refunds show up in your account within 5 days.", Metric: "refund_days",
		Voice: en("refund", "refund has not arrived", "get my money back", "return for a refund")},
	{ID: "no-hidden-fees", Says: "No hidden fees: we never charge a fee you were not told about.", Metric: "unexpected_fee_share",
		Voice: en("charged a fee", "extra charge", "unexpected fee", "why was I charged", "fee for")},
	{ID: "fair-exchange-rate", Says: "You always get the real exchange rate.", Metric: "exchange_rate_complaints",
		Voice: en("exchange rate", "wrong exchange rate", "rate was wrong", "currency conversion")},
	{ID: "card-payments-work", Says: "Your card works for every payment, online and in shops.", Metric: "declined_payment_share",
		Voice: en("card declined", "card not working", "payment was declined", "contactless not working", "card was rejected")},
	{ID: "top-ups-instant", Says: "Top-ups reach your balance instantly.", Metric: "top_up_minutes",
		Voice: en("top up", "top-up", "topped up", "top up is pending", "top up failed")},
	{ID: "lost-card-blocked", Says: "If your card is lost or stolen, we block it at once and send a new one.", Metric: "card_block_minutes",
		Voice: en("lost my card", "card was stolen", "stolen card", "freeze my card", "block my card")},
}

// bankGold maps BANKING77 intents to bankPromises.
var bankGold = map[string]string{
	"card_arrival": "card-arrives-in-a-week", "card_delivery_estimate": "card-arrives-in-a-week",
	"transfer_not_received_by_recipient": "transfers-same-day", "pending_transfer": "transfers-same-day",
	"transfer_timing": "transfers-same-day", "balance_not_updated_after_bank_transfer": "transfers-same-day",
	"Refund_not_showing_up": "refunds-in-5-days", "refund_not_showing_up": "refunds-in-5-days", "request_refund": "refunds-in-5-days",
	"card_payment_fee_charged": "no-hidden-fees", "transfer_fee_charged": "no-hidden-fees", "extra_charge_on_statement": "no-hidden-fees",
	"cash_withdrawal_charge": "no-hidden-fees", "top_up_by_bank_transfer_charge": "no-hidden-fees", "top_up_by_card_charge": "no-hidden-fees",
	"exchange_charge": "no-hidden-fees",
	"exchange_rate":   "fair-exchange-rate", "card_payment_wrong_exchange_rate": "fair-exchange-rate",
	"wrong_exchange_rate_for_cash_withdrawal": "fair-exchange-rate",
	"card_not_working":                        "card-payments-work", "contactless_not_working": "card-payments-work",
	"declined_card_payment": "card-payments-work", "virtual_card_not_working": "card-payments-work",
	"pending_top_up": "top-ups-instant", "top_up_failed": "top-ups-instant", "top_up_reverted": "top-ups-instant",
	"lost_or_stolen_card": "lost-card-blocked", "compromised_card": "lost-card-blocked",
}

// cfpbPromises are eight promises a credit bureau, lender or collector
// might make.
var cfpbPromises = []saydo.Promise{
	{ID: "accurate-credit-reports", Says: "We report accurate information about you to the credit bureaus.", Metric: "report_corrections",
		Voice: en("incorrect information", "not mine", "inaccurate", "error on my credit report", "wrong information")},
	{ID: "disputes-answered-in-30-days", Says: "We investigate every dispute and answer within 30 days.", Metric: "dispute_days",
		Voice: en("dispute", "disputed", "investigation", "never responded to my dispute", "results of the investigation")},
	{ID: "collect-only-debts-owed", Says: "We only collect debts you actually owe.", Metric: "debt_validation_failures",
		Voice: en("debt is not mine", "do not owe", "debt collector", "validation of the debt", "already paid")},
	{ID: "respectful-collection", Says: "Collectors treat you with respect: no threats, no harassment, and written notice of a debt first.", Metric: "collection_complaints",
		Voice: en("harass", "threatened", "calling me", "written notice", "validation letter")},
	{ID: "report-used-with-permission", Says: "We pull your credit report only with your permission.", Metric: "unauthorized_inquiries",
		Voice: en("hard inquiry", "unauthorized inquiry", "without my permission", "pulled my credit")},
	{ID: "payments-applied-correctly", Says: "Your payments are applied correctly and on time.", Metric: "payment_errors",
		Voice: en("payment was not applied", "payment", "autopay", "late fee")},
	{ID: "help-when-struggling", Says: "If you struggle to pay your mortgage or loan, we work with you on options.", Metric: "assistance_days",
		Voice: en("loan modification", "forbearance", "foreclosure", "struggling to pay")},
	{ID: "no-surprise-fees", Says: "No fees or interest you were not told about.", Metric: "surprise_fee_share",
		Voice: en("fee", "interest", "charged")},
}

// cfpbGold maps CFPB issues to cfpbPromises.
var cfpbGold = map[string]string{
	"Incorrect information on your report":                                             "accurate-credit-reports",
	"Problem with a credit reporting company's investigation into an existing problem": "disputes-answered-in-30-days",
	"Attempts to collect debt not owed":                                                "collect-only-debts-owed", "Cont'd attempts collect debt not owed": "collect-only-debts-owed",
	"Communication tactics": "respectful-collection", "Took or threatened to take negative or legal action": "respectful-collection",
	"Written notification about debt": "respectful-collection", "False statements or representation": "respectful-collection",
	"Improper use of your report":    "report-used-with-permission",
	"Trouble during payment process": "payments-applied-correctly", "Problem when making payments": "payments-applied-correctly",
	"Struggling to pay mortgage": "help-when-struggling", "Struggling to pay your loan": "help-when-struggling",
	"Struggling to repay your loan": "help-when-struggling",
	"Fees or interest":              "no-surprise-fees", "Charged fees or interest you didn't expect": "no-surprise-fees",
	"Unexpected or other fees": "no-surprise-fees",
}
