#!/usr/bin/env bash
# The plain list's first page (GET /dossiers?limit=50, newest first) before and after joint
# processing entered it (bench/README.md, "The plain list and joint processing"): the queries
# the list runs, EXPLAIN ANALYZE five times each, on a generated PostgreSQL database with one
# dossier in 20 sent on to a labour office. Usage: bench/list_scope.sh postgres://…/DB
#
# The labour office and its hops, added once to the generated database:
#   INSERT INTO agencies (id, code, name, level, parent_id, path, created_at, updated_at)
#     SELECT '00000000-0000-4000-8000-00000000000a', 'SYN.1.LAB', 'Phòng Lao động', 'commune', id,
#            path || '00000000-0000-4000-8000-00000000000a/', now(), now()
#     FROM agencies WHERE level = 'province';
#   INSERT INTO dossier_hops (dossier_id, seq, from_agency_id, to_agency_id, sent_at, sent_by, returned_at)
#     SELECT id, 1, agency_id, '00000000-0000-4000-8000-00000000000a', submitted_at + interval '1 hour',
#            'bench', resolved_at FROM dossiers WHERE abs(hashtext(id)) % 20 = 0;
#   UPDATE dossiers SET chain_agencies = ' 00000000-0000-4000-8000-00000000000a '
#     WHERE id IN (SELECT dossier_id FROM dossier_hops);
#   VACUUM ANALYZE dossiers; VACUUM ANALYZE dossier_hops;
set -euo pipefail
DB=${1:?database url}
q() { psql "$DB" -Atq -c "$1"; }
PROVINCE=$(q "SELECT id FROM agencies WHERE level = 'province' ORDER BY code LIMIT 1")
LABOUR=$(q "SELECT to_agency_id FROM dossier_hops LIMIT 1")
COMMUNE=$(q "SELECT agency_id FROM dossiers GROUP BY agency_id ORDER BY count(*) LIMIT 1")
ALL=$(q "SELECT string_agg(quote_literal(id), ',') FROM agencies WHERE path LIKE '%/$PROVINCE/%'")
LIKES=$(q "SELECT string_agg(format('chain_agencies LIKE %L', '% ' || id || ' %'), ' OR ') FROM agencies WHERE path LIKE '%/$PROVINCE/%'")
PAGE="ORDER BY submitted_at DESC, id DESC LIMIT 51"
sent_to() { echo "id IN (SELECT dossier_id FROM dossier_hops WHERE to_agency_id = '$1') AND agency_id <> '$1'"; }
time_of() {
  for _ in 1 2 3 4 5; do
    psql "$DB" -Atq -c "EXPLAIN (ANALYZE, COSTS off) SELECT * FROM dossiers WHERE $1 $PAGE" |
      sed -n 's/Execution Time: //p'
  done | paste -sd' '
}
plan() { psql "$DB" -Atq -c "EXPLAIN (COSTS off) SELECT * FROM dossiers WHERE $1 $PAGE" | head -4; }
echo "dossiers: $(q 'SELECT count(*) FROM dossiers'), hops: $(q 'SELECT count(*) FROM dossier_hops'), province agencies: $(q "SELECT count(*) FROM agencies WHERE path LIKE '%/$PROVINCE/%'")"
echo "province leader, before: $(time_of "agency_id = ANY(ARRAY[$ALL])")"
echo "province leader, after:  $(time_of "(agency_id = ANY(ARRAY[$ALL]) OR $LIKES)")"
plan "(agency_id = ANY(ARRAY[$ALL]) OR $LIKES)"
echo "smallest commune, before (= after's own page): $(time_of "agency_id = '$COMMUNE'")"
echo "smallest commune, after, page sent to it:      $(time_of "$(sent_to "$COMMUNE")")"
echo "labour office, own page:                        $(time_of "agency_id = '$LABOUR'")"
echo "labour office, page sent to it:                 $(time_of "$(sent_to "$LABOUR")")"
plan "$(sent_to "$LABOUR")"
echo "labour office and the commune (a scope of two): $(time_of "(agency_id = ANY(ARRAY['$LABOUR','$COMMUNE']) OR chain_agencies LIKE '% $LABOUR %' OR chain_agencies LIKE '% $COMMUNE %')")"
