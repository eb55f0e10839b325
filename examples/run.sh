#!/usr/bin/env bash
# Runs saydo on real public data from ../shared/data (see examples/README.md).
# Usage: bash examples/run.sh [DATA_DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
data=${1:-$root/../shared/data}
[ -d "$data" ] || { echo "no data folder at $data" >&2; exit 2; }
bin=$(mktemp -d)/saydo
(cd "$root" && go build -o "$bin" ./cmd/saydo)
work=$(mktemp -d)
trap 'rm -rf "$work" "$(dirname "$bin")"' EXIT
for ex in callcentre flights fuel bts; do cp -r "$root/examples/$ex" "$work/"; done

echo '$ saydo ingest observations anonymous_bank_callcenter_one_day_1999.csv --set metric=queue_wait_seconds --map value=q_time --set at=1999-08-02 --attrs type,outcome,server'
"$bin" ingest observations "$data/customer_service/anonymous_bank_callcenter_one_day_1999.csv" --workspace "$work/callcentre" \
  --set metric=queue_wait_seconds --map value=q_time --set at=1999-08-02 --attrs type,outcome,server --rejects "$work/calls.rejects.csv" --quiet || true
echo '$ saydo gap --by type'
"$bin" gap --workspace "$work/callcentre" --by type
echo

echo '$ saydo ingest observations nycflights13_flights_2013.csv --set metric=arrival_delay_minutes --map value=arr_delay --set at={year}-{month}-{day} --attrs carrier,origin,dest'
"$bin" ingest observations "$data/dot_airline_ontime/nycflights13_flights_2013.csv" --workspace "$work/flights" \
  --set metric=arrival_delay_minutes --map value=arr_delay --set 'at={year}-{month}-{day}' --attrs carrier,origin,dest \
  --rejects "$work/flights.rejects.csv" --quiet || true
echo '$ saydo gap --by carrier'
"$bin" gap --workspace "$work/flights" --by carrier
echo

echo '$ saydo ingest observations deltap_2014_subaru_xv_crosstrek_fuelups.csv --set metric=mpg --map value=MPG --map at=Date --attrs Brand'
"$bin" ingest observations "$data/fuel_economy/real_world/deltap_2014_subaru_xv_crosstrek_fuelups.csv" --workspace "$work/fuel" \
  --set metric=mpg --map value=MPG --map at=Date --attrs Brand --rejects "$work/fuel.rejects.csv" --quiet || true
echo '$ saydo gap --period year'
"$bin" gap --workspace "$work/fuel" --period year
echo

echo '$ saydo ingest observations bts_delay_causes_nyc_2004_2019.csv --set metric=arrival_delay --set at={year}-{month}-01 --map n=arr_flights --map missed=arr_del15 --attrs carrier,airport'
"$bin" ingest observations "$data/dot_airline_ontime/bts_delay_causes_nyc_2004_2019.csv" --workspace "$work/bts" \
  --set metric=arrival_delay --set 'at={year}-{month}-01' --map n=arr_flights --map missed=arr_del15 --attrs carrier,airport \
  --rejects "$work/bts.rejects.csv" --quiet || true
echo '$ saydo gap --by airport'
"$bin" gap --workspace "$work/bts" --by airport
