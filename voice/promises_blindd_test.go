// Blind set D: written from label names only (BANKING77 categories and CFPB Issue names), without reading product code, the other promise sets, or any dataset text.
// Date: 2026-12-02.

package voice

import "github.com/saydo/saydo"

// Brightmoor Bank: a fictional digital bank.
var blindDBankPromises = []saydo.Promise{
	{
		ID:     "card-in-hand-fast",
		Says:   "Your physical card arrives within 5 working days of ordering, and virtual cards are ready in the app instantly.",
		Metric: "card_delivery_days",
		Voice: map[string][]string{
			"en": {
				"my card still hasn't arrived",
				"it's been two weeks and no card in the post",
				"when will my new card be delivered?",
				"how do I order a replacement card before mine expires",
				"I can't find where to get a virtual card",
				"ordered a spare card ages ago and nothing",
			},
		},
	},
	{
		ID:     "card-just-works",
		Says:   "Your Brightmoor card works in shops, online, at ATMs, contactless and in Apple Pay or Google Pay wherever the card network is accepted.",
		Metric: "card_decline_rate",
		Voice: map[string][]string{
			"en": {
				"my card keeps getting declined",
				"contactless isn't working at the till",
				"the ATM ate my card",
				"can't add my card to Apple Pay",
				"my PIN is blocked and I can't pay for anything",
				"the virtual card gets rejected when I shop online",
			},
		},
	},
	{
		ID:     "real-exchange-rate",
		Says:   "When you spend, withdraw or exchange in another currency you get the real exchange rate with no hidden markup.",
		Metric: "fx_markup_pct",
		Voice: map[string][]string{
			"en": {
				"the exchange rate you charged me is wrong",
				"I got a terrible rate withdrawing cash abroad",
				"why was I charged extra for exchanging currency?",
				"the rate in the app doesn't match what I paid",
				"you don't let me hold or exchange the currency I need",
			},
		},
	},
	{
		ID:     "no-hidden-fees",
		Says:   "No surprise fees: any charge for a payment, top-up, transfer or cash withdrawal is shown to you before you confirm it.",
		Metric: "unexpected_fee_rate",
		Voice: map[string][]string{
			"en": {
				"there's a fee on my statement I didn't agree to",
				"why was I charged for taking out cash?",
				"I was charged a fee just for topping up",
				"you took a fee for sending a transfer and never told me",
				"extra charge on my card payment that nobody mentioned",
			},
		},
	},
	{
		ID:     "same-day-transfers",
		Says:   "Bank transfers in and out of your account arrive the same working day.",
		Metric: "transfer_completion_hours",
		Voice: map[string][]string{
			"en": {
				"my transfer has been pending for days",
				"the person I paid says they never got the money",
				"money sent to me still isn't showing in my balance",
				"my transfer failed and I don't know why",
				"it won't let me add this person as a payee",
				"how long does a transfer actually take?",
			},
		},
	},
	{
		ID:     "instant-top-ups",
		Says:   "Top-ups by card, bank transfer or cash land in your balance instantly.",
		Metric: "top_up_completion_minutes",
		Voice: map[string][]string{
			"en": {
				"my top up is still pending",
				"I topped up but my balance hasn't changed",
				"the top up went through and then got reversed",
				"auto top up didn't work",
				"deposited cash yesterday and it's not in my account",
				"top up keeps failing with my card",
			},
		},
	},
	{
		ID:     "money-back-when-wrong",
		Says:   "If a payment is unauthorised, duplicated or wrong, or a merchant refunds you, we freeze what needs freezing at once and the money is back in your account within 5 working days.",
		Metric: "money_back_days",
		Voice: map[string][]string{
			"en": {
				"there's a payment on my account I didn't make",
				"I've been charged twice for the same thing",
				"my card was stolen and someone is using it",
				"the shop refunded me a week ago but it's not showing",
				"the cash machine gave me less than I asked for",
				"I lost my phone, please block my account",
			},
		},
	},
	{
		ID:     "verified-in-minutes",
		Says:   "Verifying your identity takes minutes, and if you're locked out of the app we get you back in the same day.",
		Metric: "verification_minutes",
		Voice: map[string][]string{
			"en": {
				"my identity verification keeps failing",
				"why do you need all these documents from me?",
				"I've been waiting days to be verified",
				"you're asking me to prove where my money comes from again",
				"I forgot my passcode and can't get into the app",
			},
		},
	},
}

var blindDBankGold = map[string]string{
	"card_arrival":                "card-in-hand-fast",
	"card_delivery_estimate":      "card-in-hand-fast",
	"get_physical_card":           "card-in-hand-fast",
	"order_physical_card":         "card-in-hand-fast",
	"getting_spare_card":          "card-in-hand-fast",
	"card_about_to_expire":        "card-in-hand-fast",
	"getting_virtual_card":        "card-in-hand-fast",
	"get_disposable_virtual_card": "card-in-hand-fast",

	"card_not_working":         "card-just-works",
	"contactless_not_working":  "card-just-works",
	"declined_card_payment":    "card-just-works",
	"virtual_card_not_working": "card-just-works",
	"card_acceptance":          "card-just-works",
	"apple_pay_or_google_pay":  "card-just-works",
	"declined_cash_withdrawal": "card-just-works",
	"card_swallowed":           "card-just-works",
	"atm_support":              "card-just-works",
	"pin_blocked":              "card-just-works",
	"activate_my_card":         "card-just-works",

	"wrong_exchange_rate_for_cash_withdrawal": "real-exchange-rate",
	"card_payment_wrong_exchange_rate":        "real-exchange-rate",
	"exchange_rate":                           "real-exchange-rate",
	"exchange_charge":                         "real-exchange-rate",
	"exchange_via_app":                        "real-exchange-rate",
	"fiat_currency_support":                   "real-exchange-rate",

	"extra_charge_on_statement":      "no-hidden-fees",
	"card_payment_fee_charged":       "no-hidden-fees",
	"top_up_by_bank_transfer_charge": "no-hidden-fees",
	"top_up_by_card_charge":          "no-hidden-fees",
	"cash_withdrawal_charge":         "no-hidden-fees",
	"transfer_fee_charged":           "no-hidden-fees",

	"balance_not_updated_after_bank_transfer": "same-day-transfers",
	"transfer_not_received_by_recipient":      "same-day-transfers",
	"pending_transfer":                        "same-day-transfers",
	"transfer_timing":                         "same-day-transfers",
	"declined_transfer":                       "same-day-transfers",
	"failed_transfer":                         "same-day-transfers",
	"cancel_transfer":                         "same-day-transfers",
	"receiving_money":                         "same-day-transfers",
	"transfer_into_account":                   "same-day-transfers",
	"beneficiary_not_allowed":                 "same-day-transfers",

	"pending_top_up":     "instant-top-ups",
	"top_up_failed":      "instant-top-ups",
	"top_up_reverted":    "instant-top-ups",
	"verify_top_up":      "instant-top-ups",
	"automatic_top_up":   "instant-top-ups",
	"top_up_limits":      "instant-top-ups",
	"topping_up_by_card": "instant-top-ups",

	"top_up_by_cash_or_cheque": "instant-top-ups",

	"balance_not_updated_after_cheque_or_cash_deposit": "instant-top-ups",

	"lost_or_stolen_card":                 "money-back-when-wrong",
	"compromised_card":                    "money-back-when-wrong",
	"card_payment_not_recognised":         "money-back-when-wrong",
	"direct_debit_payment_not_recognised": "money-back-when-wrong",
	"cash_withdrawal_not_recognised":      "money-back-when-wrong",
	"lost_or_stolen_phone":                "money-back-when-wrong",
	"transaction_charged_twice":           "money-back-when-wrong",
	"request_refund":                      "money-back-when-wrong",
	"Refund_not_showing_up":               "money-back-when-wrong",
	"wrong_amount_of_cash_received":       "money-back-when-wrong",

	"verify_my_identity":        "verified-in-minutes",
	"unable_to_verify_identity": "verified-in-minutes",
	"why_verify_identity":       "verified-in-minutes",
	"verify_source_of_funds":    "verified-in-minutes",
	"passcode_forgotten":        "verified-in-minutes",
}

// Keystone Credit: a fictional credit bureau, lender and collector.
var blindDCFPBPromises = []saydo.Promise{
	{
		ID:     "accurate-credit-report",
		Says:   "Your Keystone credit report is accurate, and if you dispute anything we investigate properly and fix it within 30 days.",
		Metric: "dispute_resolution_days",
		Voice: map[string][]string{
			"en": {
				"there is an account on my credit report that isn't mine",
				"my report shows a late payment I never made",
				"I disputed this months ago and it's still there",
				"you closed my dispute without even looking at my documents",
				"the investigation just repeated what the lender said",
			},
		},
	},
	{
		ID:     "you-control-your-file",
		Says:   "You can see your report and score any time, freeze it or add a fraud alert within one business day, and nobody sees it without a lawful reason.",
		Metric: "freeze_placement_hours",
		Voice: map[string][]string{
			"en": {
				"I can't get a copy of my credit report",
				"I asked for a security freeze and it was never put on",
				"someone pulled my credit without my permission",
				"the fraud alert I placed has disappeared",
				"I'm paying for identity theft protection that didn't protect me",
			},
		},
	},
	{
		ID:     "only-debts-you-owe",
		Says:   "We only collect debts you actually owe, and we send you written validation of any debt within 5 days of first contacting you.",
		Metric: "debt_validation_days",
		Voice: map[string][]string{
			"en": {
				"this debt is not mine",
				"I already paid this off and you're still chasing me",
				"I asked you to verify the debt and never got anything in writing",
				"I never received any letter about this debt",
				"you keep trying to collect money I don't owe",
			},
		},
	},
	{
		ID:     "respectful-collection",
		Says:   "Our collectors are honest and respectful: no harassment, no threats, no false claims, and no talking about your debt to anyone but you.",
		Metric: "collection_conduct_complaints",
		Voice: map[string][]string{
			"en": {
				"your collectors call me over and over every day",
				"they threatened to sue me and have me arrested",
				"the collector called my employer and told them about my debt",
				"they lied and said my wages would be garnished tomorrow",
				"I was spoken to rudely and threatened on the phone",
				"they contacted my family about what I owe",
			},
		},
	},
	{
		ID:     "no-surprise-fees",
		Says:   "The rate and fees we disclose up front are exactly what you pay, with no hidden charges.",
		Metric: "unexpected_fee_rate",
		Voice: map[string][]string{
			"en": {
				"I was charged a fee nobody told me about",
				"my interest rate is higher than what you advertised",
				"the promotional offer wasn't honoured",
				"you charged me an overdraft fee when I had money in there",
				"the terms were confusing and nothing was explained",
			},
		},
	},
	{
		ID:     "payments-applied-correctly",
		Says:   "Every payment you make is applied to your account correctly the day we receive it, and payoff amounts and end-of-loan paperwork are handled within 10 days.",
		Metric: "payment_posting_days",
		Voice: map[string][]string{
			"en": {
				"my payment went through but isn't showing on my loan",
				"the online payment system won't take my payment",
				"you applied my payment to the wrong thing",
				"I paid off my loan and still haven't got the title",
				"the payoff amount you gave me was wrong",
				"you charged me a late fee even though I paid on time",
			},
		},
	},
	{
		ID:     "help-when-struggling",
		Says:   "If you're struggling to pay, we'll offer you a realistic payment plan or hardship option within 10 days of asking.",
		Metric: "hardship_plan_days",
		Voice: map[string][]string{
			"en": {
				"I lost my job and can't make my payments",
				"I asked for a payment plan and got nowhere",
				"you refused to modify my mortgage",
				"I'm behind on my loan and nobody will help me",
				"I need to lower my monthly payment",
			},
		},
	},
	{
		ID:     "decision-and-funds-on-time",
		Says:   "You get a clear answer on your application within 2 business days, and approved money reaches you on the date we promised.",
		Metric: "loan_funding_days",
		Voice: map[string][]string{
			"en": {
				"I was approved but never got the money",
				"my loan funds still haven't arrived",
				"the closing on my mortgage keeps getting delayed",
				"my application has been sitting for weeks with no answer",
				"I was denied with no explanation",
			},
		},
	},
}

var blindDCFPBGold = map[string]string{
	"Incorrect information on your report": "accurate-credit-report",

	"Problem with a credit reporting company's investigation into an existing problem": "accurate-credit-report",
	"Problem with a company's investigation into an existing issue":                    "accurate-credit-report",

	"Improper use of your report":                             "you-control-your-file",
	"Problem with fraud alerts or security freezes":           "you-control-your-file",
	"Unable to get your credit report or credit score":        "you-control-your-file",
	"Credit monitoring or identity theft protection services": "you-control-your-file",
	"Identity theft protection or other monitoring services":  "you-control-your-file",

	"Attempts to collect debt not owed":     "only-debts-you-owe",
	"Cont'd attempts collect debt not owed": "only-debts-you-owe",
	"Written notification about debt":       "only-debts-you-owe",
	"Disclosure verification of debt":       "only-debts-you-owe",

	"Took or threatened to take negative or legal action":           "respectful-collection",
	"Taking/threatening an illegal action":                          "respectful-collection",
	"False statements or representation":                            "respectful-collection",
	"Threatened to contact someone or share information improperly": "respectful-collection",
	"Improper contact or sharing of info":                           "respectful-collection",
	"Communication tactics":                                         "respectful-collection",

	"Charged fees or interest you didn't expect":              "no-surprise-fees",
	"Charged fees or interest I didn't expect":                "no-surprise-fees",
	"Advertising and marketing, including promotional offers": "no-surprise-fees",
	"Problem caused by your funds being low":                  "no-surprise-fees",
	"Confusing or missing disclosures":                        "no-surprise-fees",
	"Unexpected or other fees":                                "no-surprise-fees",
	"Fees or interest":                                        "no-surprise-fees",

	"Problem with the payoff process at the end of the loan": "payments-applied-correctly",
	"Problems at the end of the loan or lease":               "payments-applied-correctly",
	"Trouble during payment process":                         "payments-applied-correctly",
	"Problem when making payments":                           "payments-applied-correctly",
	"Managing the loan or lease":                             "payments-applied-correctly",
	"Payoff process":                                         "payments-applied-correctly",

	"Struggling to pay mortgage":    "help-when-struggling",
	"Struggling to pay your loan":   "help-when-struggling",
	"Struggling to repay your loan": "help-when-struggling",
	"Struggling to pay your bill":   "help-when-struggling",

	"Applying for a mortgage or refinancing an existing mortgage": "decision-and-funds-on-time",
	"Was approved for a loan, but didn't receive money":           "decision-and-funds-on-time",
	"Money was not available when promised":                       "decision-and-funds-on-time",
	"Getting a loan or lease":                                     "decision-and-funds-on-time",
	"Closing on a mortgage":                                       "decision-and-funds-on-time",
	"Getting a credit card":                                       "decision-and-funds-on-time",
	"Getting the loan":                                            "decision-and-funds-on-time",
}
