-- SQLite's 0053 stores feedback rows in arrival order instead of by key
-- (a hash), which scattered every import over the whole file. PostgreSQL's
-- tables are heaps, already written in arrival order, with the key in its
-- own index: nothing to change. The file exists so both stores list the
-- same migrations.
SELECT 1;
