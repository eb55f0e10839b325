package demo

import (
	"strconv"
	"strings"
)

// workspaceYAML returns Nordtel's saydo.yaml for a year of data.
func workspaceYAML(year int) string {
	return strings.ReplaceAll(workspaceTemplate, "YEAR", strconv.Itoa(year))
}

// workspaceTemplate is saydo.yaml with YEAR standing for the year.
const workspaceTemplate = `# Nordtel: the saydo demo workspace.
# Promises as code: what Nordtel tells its customers, who delivers it, and
# how it is measured. Try: saydo gap, saydo gap --by region, saydo voice, saydo lint.
company: Nordtel
statement: >
  We keep every promise we make. We answer quickly, we fix things the first
  time, we come when we said we would, we bill exactly what we agreed, and we
  warn and explain before we act. We treat every customer like family.
departments:
  - id: marketing
    name: Marketing
    behaviors:
      - Promise only what the company can deliver, in words customers can check.
      - Warn care and field service before a campaign goes live.
  - id: sales
    name: Sales and shops
    behaviors:
      - Sell the plan the customer needs, never an upgrade they did not ask for.
      - Book the installation date with the customer before they leave the shop.
  - id: care
    name: Customer care
    behaviors:
      - Answer every call within two minutes.
      - Solve the problem in the first call; transfer at most once.
      - Call back when we said we would.
  - id: field-service
    name: Field service (installations and technicians)
    behaviors:
      - Install within three days of the order.
      - Arrive within the booked slot, or call before it starts.
      - Confirm the visit by SMS the day before.
  - id: billing
    name: Billing
    behaviors:
      - Bill exactly what the contract says.
      - Announce every new fee at least 30 days before it appears on a bill.
  - id: network
    name: Network
    behaviors:
      - Keep every cell site up 99.9% of the time.
      - Tell affected customers about an outage within 30 minutes.
  - id: finance
    name: Finance (refunds)
    behaviors:
      - Refund within five days of approval.
      - Say how much, when and to which account before the money leaves.
  - id: collections
    name: Collections
    behaviors:
      - Remind politely and early; never threaten before a personal reminder.
      - Always offer a way to pay or to talk to a person, with a deadline.
metrics:
  - id: call_wait_seconds
    unit: seconds
    description: time on hold before an agent answers
  - id: call_resolved_first
    unit: boolean
    description: solved first time
  - id: install_days
    unit: days
    description: days from order to working internet
  - id: bill_correct
    unit: boolean
    description: correct bill
  - id: bill_unexpected_fee
    unit: boolean
    description: hidden fee
  - id: network_availability_pct
    unit: percent
    description: share of the week each cell site was up
  - id: refund_days
    unit: days
    description: days from approval to money in the account
  - id: technician_late_minutes
    unit: minutes
    description: minutes after the booked slot began
promises:
  - id: answer-in-2-min
    says: "We answer every call within 2 minutes."
    made_in: [tv-spring-YEAR, website]
    owner: marketing
    delivered_by: [care]
    stage: support
    metric: call_wait_seconds
    objective:
      at_most: 120
      share: 0.9
    period: week
    since: YEAR-01-01
    until: YEAR-12-31
    voice:
      en: ["on hold", "nobody answers", "waited for ages", "hold music", "your call is important to us", "waiting on the line", "call queue"]
      ro: ["în așteptare", "nu răspunde nimeni", "am așteptat", "muzica de așteptare", "apelul dumneavoastră este important", "la telefon"]
  - id: first-call-resolution
    says: "We solve your problem in the first call."
    made_in: [website, tv-spring-YEAR]
    owner: marketing
    delivered_by: [care]
    stage: support
    metric: call_resolved_first
    objective:
      at_least: 1
      share: 0.75
    period: week
    since: YEAR-01-01
    until: YEAR-12-31
    voice:
      en: ["transferred", "called again", "still not solved", "explain again", "same problem", "time I call"]
      ro: ["transferat", "am sunat din nou", "tot nerezolvat", "iar am sunat", "aceeași problemă", "oară când sun"]
  - id: install-in-3-days
    says: "Your internet installed within 3 days."
    made_in: [tv-summer-YEAR, shop, website]
    owner: sales
    delivered_by: [field-service]
    stage: delivery
    metric: install_days
    objective:
      at_most: 3
      share: 0.9
    period: week
    since: YEAR-01-01
    until: YEAR-12-31
    actions:                    # what was done to close the gap; saydo gap says whether it worked
      - id: new-field-crews
        what: Four new field crews start installing
        by: field-service
        on: YEAR-09-07
    voice:
      en: ["installation", "install", "still no internet", "waiting for the installer", "connected"]
      ro: ["instalare", "instalarea", "încă fără internet", "aștept instalatorul", "conectat"]
  - id: correct-bills
    says: "Your bill is always correct."
    made_in: [contract, website]
    owner: marketing
    delivered_by: [billing]
    stage: billing
    metric: bill_correct
    objective:
      at_least: 1
      share: 0.99
    period: month
    since: YEAR-01-01
    until: YEAR-12-31
    voice:
      en: ["wrong bill", "billed twice", "overcharged", "billing error"]
      ro: ["factură greșită", "facturat de două ori", "taxat în plus", "eroare de facturare"]
  - id: no-surprise-fees
    says: "No hidden fees, ever."
    made_in: [tv-spring-YEAR, contract, website]
    owner: marketing
    delivered_by: [billing]
    stage: billing
    metric: bill_unexpected_fee
    objective:
      at_most: 0
      share: 0.98
    period: week
    since: YEAR-01-01
    until: YEAR-12-31
    voice:
      en: ["hidden fee", "service fee", "extra charge", "surprise fee", "never agreed to"]
      ro: ["taxă ascunsă", "taxa de serviciu", "cost suplimentar", "taxă surpriză", "nu am fost de acord"]
  - id: network-availability
    says: "A network that is always on: 99.9% availability."
    made_in: [tv-spring-YEAR, website]
    owner: marketing
    delivered_by: [network]
    stage: usage
    metric: network_availability_pct
    objective:
      mean_at_least: 99.9
    period: week
    since: YEAR-01-01
    until: YEAR-12-31
    voice:
      en: ["no signal", "network down", "outage", "no coverage", "internet is down"]
      ro: ["fără semnal", "rețeaua picată", "pană", "nu am semnal", "nu merge internetul"]
  - id: refund-in-5-days
    says: "Refunds in your account within 5 days."
    made_in: [contract, website]
    owner: sales
    delivered_by: [finance]
    stage: exit
    metric: refund_days
    objective:
      at_most: 5
      share: 0.95
    period: month
    since: YEAR-01-01
    until: YEAR-12-31
    actions:
      - id: twice-daily-refunds
        what: Refunds approved twice a day instead of once
        by: finance
        on: YEAR-05-04
    voice:
      en: ["refund", "my money back", "still not refunded", "reimburse"]
      ro: ["rambursare", "banii înapoi", "returnarea banilor", "încă nu am primit banii"]
  - id: technician-on-time
    says: "Our technician arrives on time, in the slot you booked."
    made_in: [shop, website]
    owner: sales
    delivered_by: [field-service]
    stage: delivery
    metric: technician_late_minutes
    objective:
      at_most: 15
      share: 0.9
    period: week
    since: YEAR-01-01
    until: YEAR-12-31
    voice:
      en: ["technician late", "technician never came", "waited all day", "no-show", "missed the slot"]
      ro: ["tehnicianul a întârziat", "tehnicianul nu a venit", "am așteptat toată ziua", "nu a venit nimeni"]
# What a broken promise costs: every figure with its source. Churn is
# measured from the churn events in data/surveys.csv when customers who
# experienced a miss can be told apart; churn_if_missed is the fallback.
impact:
  currency: EUR
  customer_value: {value: 312, source: "Nordtel finance: average revenue per customer 2025 (EUR 26 a month)"}
  churn_if_missed: {value: 0.05, source: "Nordtel exit survey 2025: 1 in 20 leavers names a broken promise"}
  cost_to_win: {value: 180, source: "Nordtel marketing: acquisition cost per new customer 2025"}
  complaint_rate: default
  word_of_mouth: default
`

// styleReadme explains the empty style folder.
const styleReadme = `# Nordtel style rules

The built-in ` + "`saydo`" + ` rule pack is on: greeting, reason, next step,
warning before threats, tone, promise conflicts, placeholders, SMS length,
readability. Add Nordtel's own rules here, one YAML file per rule, for
example a substitution rule that replaces "client" with "customer".
`
