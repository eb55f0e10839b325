package main

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// benchPartition simulates, inside PostgreSQL ($SAYDO_BENCH_POSTGRES), the
// first step of docs/scale.md past one server: observations partitioned by
// metric and month. It inserts the same n rows (20 metrics over a year,
// keyed like saydo's observations) in batches of 50,000, in time order and
// in random order, into one keyed table (saydo's layout) and into a table
// partitioned by metric and then by month (20 × 12 partitions), timing
// each with psql's \timing. No Go parsing is involved: it measures what
// the table layout costs the server.
func benchPartition(n int) {
	dsn := os.Getenv("SAYDO_BENCH_POSTGRES")
	if dsn == "" {
		fatal(fmt.Errorf("partition: set SAYDO_BENCH_POSTGRES to a DSN (postgres://postgres@127.0.0.1:55432/saydo?sslmode=disable)"))
	}
	var b strings.Builder
	b.WriteString(`SET client_min_messages = warning;
DROP SCHEMA IF EXISTS saydo_bench_part CASCADE;
CREATE SCHEMA saydo_bench_part;
SET search_path = saydo_bench_part;
`)
	// The rows, once, with a sequence number in time order and one in a
	// random order.
	fmt.Fprintf(&b, `CREATE UNLOGGED TABLE src AS
SELECT i AS sorted_seq, row_number() OVER (ORDER BY hashint8(i)) AS shuffled_seq,
	(i %% 20)::bigint AS metric_id,
	(1735689600000 + i * (31536000000 / %d))::bigint AS at,
	(hashint8(i) >> 1)::bigint AS key,
	(abs(hashint8(i)) %% 300)::float8 AS value,
	(i %% 15)::bigint AS segment_id
FROM generate_series(0, %d - 1) AS i;
CREATE INDEX ON src (sorted_seq);
CREATE INDEX ON src (shuffled_seq);
ANALYZE src;
`, n, n)
	b.WriteString(`CREATE TABLE one (metric_id bigint, at bigint, key bigint, value float8, segment_id bigint, customer text, source_id text,
	PRIMARY KEY (metric_id, at, key));
CREATE TABLE part (metric_id bigint, at bigint, key bigint, value float8, segment_id bigint, customer text, source_id text,
	PRIMARY KEY (metric_id, at, key)) PARTITION BY LIST (metric_id);
`)
	for m := range 20 {
		fmt.Fprintf(&b, "CREATE TABLE part_%d PARTITION OF part FOR VALUES IN (%d) PARTITION BY RANGE (at);\n", m, m)
		for month := range 12 {
			lo := fmt.Sprintf("extract(epoch FROM timestamptz '2025-%02d-01 UTC') * 1000", month+1)
			hi := fmt.Sprintf("extract(epoch FROM timestamptz '2025-%02d-01 UTC' + interval '1 month') * 1000", month+1)
			if month == 11 {
				hi = "MAXVALUE"
			}
			if month == 0 {
				lo = "MINVALUE"
			}
			fmt.Fprintf(&b, "DO $$ BEGIN EXECUTE format('CREATE TABLE part_%d_%d PARTITION OF part_%d FOR VALUES FROM (%%s) TO (%%s)', %s, %s); END $$;\n",
				m, month, m, literal(lo), literal(hi))
		}
	}
	const batch = 50000
	insert := func(table, order string) {
		fmt.Fprintf(&b, "TRUNCATE %s;\n\\echo %s %s\n\\timing on\n", table, table, order)
		b.WriteString("BEGIN;\n")
		for lo := 0; lo < n; lo += batch {
			fmt.Fprintf(&b, "INSERT INTO %s SELECT metric_id, at, key, value, segment_id, NULL, NULL FROM src WHERE %s_seq >= %d AND %s_seq < %d ORDER BY metric_id, at, key ON CONFLICT DO NOTHING;\n",
				table, order, lo, order, lo+batch)
			if (lo/batch)%10 == 9 {
				b.WriteString("COMMIT; BEGIN;\n")
			}
		}
		b.WriteString("COMMIT;\n\\timing off\n")
	}
	for _, order := range []string{"sorted", "shuffled"} {
		insert("one", order)
		insert("part", order)
	}
	b.WriteString("DROP SCHEMA saydo_bench_part CASCADE;\n")
	cmd := exec.Command("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", dsn)
	cmd.Stdin = strings.NewReader(b.String())
	out, err := cmd.CombinedOutput()
	if err != nil {
		fatal(fmt.Errorf("psql: %v\n%s", err, out))
	}
	// Sum the INSERT timings of each run.
	var label string
	totals := map[string]float64{}
	var labels []string
	for _, line := range strings.Split(string(out), "\n") {
		if f := strings.Fields(line); len(f) == 2 && (f[0] == "one" || f[0] == "part") {
			label = f[0] + " " + f[1]
			labels = append(labels, label)
			continue
		}
		var ms float64
		if _, err := fmt.Sscanf(line, "Time: %f ms", &ms); err == nil && label != "" {
			totals[label] += ms
		}
	}
	fmt.Printf("partition: %s rows of 20 metrics over a year, inserted in 50,000-row batches (server side only)\n", group(n))
	for _, l := range labels {
		name := map[string]string{"one": "one keyed table (saydo's layout)", "part": "partitioned by metric and month (240)"}[strings.Fields(l)[0]]
		fmt.Printf("  %-40s %-9s %8.2fs", name, strings.Fields(l)[1], totals[l]/1000)
		if strings.HasPrefix(l, "part") {
			fmt.Printf("   %.2f× one table", totals[l]/totals["one "+strings.Fields(l)[1]])
		}
		fmt.Println()
	}
}

// literal quotes s as an SQL string literal for format().
func literal(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
