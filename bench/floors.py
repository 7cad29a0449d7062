"""The floor of each page: one hand-written SQL query that computes what the page shows.

The floor is what PostgreSQL needs at the least to answer the page: no ORM, no template, one
round trip. The ratio page ÷ floor says how much the application adds on top of the database.
Each query takes the same subject as the page (the same user, lot, employer, month) and applies
the same scope rule (a facilitator sees the operations of the facilitation bodies where they
have an active "facilitator" membership), so that it reads the same rows.

Hours required (``required``) are the clause's contractual hours, or the computed ones when no
contractual figure was set; pro rata of the days of the lot inside the period, as
``reporting.rules.hours_in_period`` does. Validated hours are the current, validated, counted
declaration lines (``DeclarationLine.objects.counted()``).
"""

# Operations a facilitator follows: the bodies of their active facilitator memberships.
_FACILITATOR_LOTS = """
    SELECT l.id, l.start_date, l.end_date,
           COALESCE(c.contractual_hours, c.computed_hours, 0) AS required
    FROM clauses_lot l
    JOIN clauses_contract k ON k.id = l.contract_id
    JOIN clauses_operation o ON o.id = k.operation_id
    LEFT JOIN clauses_clause c ON c.lot_id = l.id
    WHERE o.facilitation_body_id IN (
        SELECT m.organisation_id FROM partners_membership m
        WHERE m.user_id = %(user)s AND m.role = 'facilitator' AND m.is_active)
"""

# Facilitator dashboard (home page of a facilitator): for the year, over the lots of their
# territory that touch the year — number of lots, hours required pro rata, hours validated,
# people and placements; and what waits for them: lines pending, declarations to correct.
FACILITATOR_DASHBOARD = f"""
WITH lots AS ({_FACILITATOR_LOTS}),
year_lots AS (
    SELECT id, required * (LEAST(end_date, %(end)s::date) - GREATEST(start_date, %(start)s::date) + 1)::numeric
           / NULLIF(end_date - start_date + 1, 0) AS required_in_year
    FROM lots WHERE start_date <= %(end)s AND end_date >= %(start)s),
placements AS (
    SELECT p.id, p.participant_id FROM placements_placement p
    WHERE p.lot_id IN (SELECT id FROM year_lots) AND p.start_date <= %(end)s
      AND (p.end_date IS NULL OR p.end_date >= %(start)s)),
validated AS (
    SELECT SUM(dl.hours) AS hours, COUNT(DISTINCT p.participant_id) AS people
    FROM placements_declarationline dl
    JOIN placements_monthlydeclaration d ON d.id = dl.declaration_id
    JOIN placements_placement p ON p.id = dl.placement_id
    WHERE p.lot_id IN (SELECT id FROM year_lots) AND dl.is_current AND dl.status = 'validated' AND dl.counted
      AND d.month BETWEEN %(start)s AND %(end)s)
SELECT (SELECT COUNT(*) FROM year_lots) AS lots,
       (SELECT SUM(required_in_year) FROM year_lots) AS required,
       (SELECT hours FROM validated) AS validated,
       (SELECT people FROM validated) AS people_with_hours,
       (SELECT COUNT(*) FROM placements) AS placements,
       (SELECT COUNT(DISTINCT participant_id) FROM placements) AS participants,
       (SELECT COUNT(*) FROM placements_declarationline dl
        JOIN placements_placement p ON p.id = dl.placement_id
        WHERE p.lot_id IN (SELECT id FROM lots) AND dl.is_current AND dl.status = 'pending') AS lines_pending
"""

# Département dashboard (/pilotage/, whole of Ain): the same figures over every lot for the year,
# and the validated hours of each of the four years of the table "année par année".
DEPARTMENT_DASHBOARD = """
WITH lots AS (
    SELECT l.id, l.start_date, l.end_date, COALESCE(c.contractual_hours, c.computed_hours, 0) AS required
    FROM clauses_lot l LEFT JOIN clauses_clause c ON c.lot_id = l.id),
year_lots AS (
    SELECT id, required * (LEAST(end_date, %(end)s::date) - GREATEST(start_date, %(start)s::date) + 1)::numeric
           / NULLIF(end_date - start_date + 1, 0) AS required_in_year
    FROM lots WHERE start_date <= %(end)s AND end_date >= %(start)s),
placements AS (
    SELECT p.id, p.participant_id FROM placements_placement p
    WHERE p.lot_id IN (SELECT id FROM year_lots) AND p.start_date <= %(end)s
      AND (p.end_date IS NULL OR p.end_date >= %(start)s)),
by_year AS (
    SELECT date_part('year', d.month) AS year, SUM(dl.hours) AS hours, COUNT(DISTINCT p.participant_id) AS people
    FROM placements_declarationline dl
    JOIN placements_monthlydeclaration d ON d.id = dl.declaration_id
    JOIN placements_placement p ON p.id = dl.placement_id
    WHERE dl.is_current AND dl.status = 'validated' AND dl.counted
      AND d.month BETWEEN %(first_year_start)s AND %(end)s
    GROUP BY 1)
SELECT (SELECT COUNT(*) FROM year_lots) AS lots,
       (SELECT SUM(required_in_year) FROM year_lots) AS required,
       (SELECT json_object_agg(year, json_build_array(hours, people)) FROM by_year) AS validated_by_year,
       (SELECT COUNT(*) FROM placements) AS placements,
       (SELECT COUNT(DISTINCT participant_id) FROM placements) AS participants
"""

# Lot list (/lots/ as the facilitator): the first page (50 rows, by end date) of the lots they
# see, each with its operation, commune, trade, hours required and validated, and the count.
LOT_LIST = f"""
WITH lots AS ({_FACILITATOR_LOTS})
SELECT l.id, l.number, l.title, l.start_date, l.end_date, o.title AS operation, cm.name AS commune,
       t.name AS trade, lots.required,
       (SELECT COALESCE(SUM(dl.hours), 0) FROM placements_declarationline dl
        JOIN placements_placement p ON p.id = dl.placement_id
        WHERE p.lot_id = l.id AND dl.is_current AND dl.status = 'validated' AND dl.counted) AS validated,
       COUNT(*) OVER () AS total
FROM lots
JOIN clauses_lot l ON l.id = lots.id
JOIN clauses_contract k ON k.id = l.contract_id
JOIN clauses_operation o ON o.id = k.operation_id
JOIN partners_commune cm ON cm.id = o.commune_id
LEFT JOIN clauses_trade t ON t.id = l.trade_id
ORDER BY l.end_date, l.id
LIMIT 50
"""

# Lot detail (/lots/<pk>/, a big lot): the lot with its clause, operation and buyer, its hours
# validated, its awards (companies and roles) and the count of people placed on it.
LOT_DETAIL = """
SELECT l.id, l.number, l.title, l.start_date, l.end_date, l.amount_excl_tax,
       c.legal_basis, c.method, COALESCE(c.contractual_hours, c.computed_hours, 0) AS required,
       o.title AS operation, b.name AS buyer,
       (SELECT COALESCE(SUM(dl.hours), 0) FROM placements_declarationline dl
        JOIN placements_placement p ON p.id = dl.placement_id
        WHERE p.lot_id = l.id AND dl.is_current AND dl.status = 'validated' AND dl.counted) AS validated,
       (SELECT COALESCE(SUM(i.amount), 0) FROM clauses_invoicedamount i WHERE i.lot_id = l.id) AS invoiced,
       (SELECT json_agg(json_build_array(org.name, a.role)) FROM clauses_lotaward a
        JOIN partners_organisation org ON org.id = a.company_id WHERE a.lot_id = l.id) AS awards,
       (SELECT COUNT(DISTINCT p.participant_id) FROM placements_placement p WHERE p.lot_id = l.id) AS people
FROM clauses_lot l
JOIN clauses_contract k ON k.id = l.contract_id
JOIN clauses_operation o ON o.id = k.operation_id
JOIN partners_organisation b ON b.id = o.buyer_id
LEFT JOIN clauses_clause c ON c.lot_id = l.id
WHERE l.id = %(lot)s
"""

# Validation queue (/validation/ as the facilitator): the first page (20) of the declarations
# (employer, month) that have current lines pending on the placements the facilitator follows,
# with their lines (person, lot, hours) and the total count of lines pending.
VALIDATION_QUEUE = """
WITH bodies AS (
    SELECT m.organisation_id FROM partners_membership m
    WHERE m.user_id = %(user)s AND m.role = 'facilitator' AND m.is_active),
pending AS (
    SELECT dl.id, dl.declaration_id, dl.hours, p.participant_id, p.lot_id
    FROM placements_declarationline dl
    JOIN placements_placement p ON p.id = dl.placement_id
    JOIN placements_participant pa ON pa.id = p.participant_id
    JOIN clauses_lot l ON l.id = p.lot_id
    JOIN clauses_contract k ON k.id = l.contract_id
    JOIN clauses_operation o ON o.id = k.operation_id
    WHERE dl.is_current AND dl.status = 'pending'
      AND (pa.facilitation_body_id IN (SELECT organisation_id FROM bodies)
           OR o.facilitation_body_id IN (SELECT organisation_id FROM bodies))),
page AS (
    SELECT d.id, d.month, org.name AS employer
    FROM placements_monthlydeclaration d JOIN partners_organisation org ON org.id = d.employer_id
    WHERE d.id IN (SELECT declaration_id FROM pending)
    ORDER BY d.month, org.name, d.id LIMIT 20)
SELECT page.id, page.month, page.employer,
       json_agg(json_build_array(pa.last_name, pa.first_name, pending.lot_id, pending.hours)
                ORDER BY pa.last_name, pa.first_name, pending.id) AS lines,
       (SELECT COUNT(*) FROM pending) AS line_count
FROM page
JOIN pending ON pending.declaration_id = page.id
JOIN placements_participant pa ON pa.id = pending.participant_id
GROUP BY page.id, page.month, page.employer
ORDER BY page.month, page.employer, page.id
"""

# Participant list (/participants/ as the facilitator): the first page (50, by name) of the
# people their body follows, with commune, eligibility criteria and running placements.
PARTICIPANT_LIST = """
SELECT pa.id, pa.last_name, pa.first_name, pa.birth_date, cm.name AS commune,
       (SELECT array_agg(ec.criterion) FROM placements_eligibilitycriterion ec
        WHERE ec.participant_id = pa.id) AS criteria,
       (SELECT json_agg(json_build_array(l.title, org.name)) FROM placements_placement p
        JOIN clauses_lot l ON l.id = p.lot_id JOIN partners_organisation org ON org.id = p.employer_id
        WHERE p.participant_id = pa.id AND p.start_date <= %(on)s
          AND (p.end_date IS NULL OR p.end_date >= %(on)s)) AS running,
       COUNT(*) OVER () AS total
FROM placements_participant pa
JOIN partners_commune cm ON cm.id = pa.commune_id
WHERE pa.facilitation_body_id IN (
    SELECT m.organisation_id FROM partners_membership m
    WHERE m.user_id = %(user)s AND m.role = 'facilitator' AND m.is_active)
ORDER BY pa.last_name, pa.first_name, pa.id
LIMIT 50
"""

# Employer's declaration grid (/portail/declarations/<year>-<month>/): every placement of the
# employer that ran during the month, with the person, the lot and operation, and the current
# line (hours, status) of the month's declaration.
DECLARATION_GRID = """
SELECT p.id, pa.last_name, pa.first_name, l.number, l.title, o.title AS operation,
       dl.hours, dl.status, dl.version
FROM placements_placement p
JOIN placements_participant pa ON pa.id = p.participant_id
JOIN clauses_lot l ON l.id = p.lot_id
JOIN clauses_contract k ON k.id = l.contract_id
JOIN clauses_operation o ON o.id = k.operation_id
LEFT JOIN placements_monthlydeclaration d ON d.employer_id = p.employer_id AND d.month = %(month)s
LEFT JOIN placements_declarationline dl ON dl.declaration_id = d.id AND dl.placement_id = p.id AND dl.is_current
WHERE p.employer_id = %(employer)s AND p.start_date <= %(month_end)s
  AND (p.end_date IS NULL OR p.end_date >= %(month)s)
ORDER BY o.title, l.number, pa.last_name
"""

FLOORS = {
    "facilitator_dashboard": FACILITATOR_DASHBOARD,
    "department_dashboard": DEPARTMENT_DASHBOARD,
    "lot_list": LOT_LIST,
    "lot_detail": LOT_DETAIL,
    "validation_queue": VALIDATION_QUEUE,
    "participant_list": PARTICIPANT_LIST,
    "declaration_grid": DECLARATION_GRID,
}
