"""A synthetic dataset for benchmarks and load tests: ``manage.py generate_dataset``.

Scales (``SCALES``; ``--years`` scales every count in proportion):

- ``department``: ten years of Ain, on its real communes and EPCI (loaded by the migrations):
  about 1,500 contracts, 4,000 lots, 3,000 participants, 5,000 placements, 60,000 current
  declaration lines (hours of one person in one month) and their monthly declarations.
- ``national``: one year of a hundred departments, ten times as many rows. Ain is department 01;
  the 99 others are synthetic: "Département 02" … "Département 100", each with 8 EPCI
  ("Département 02 — EPCI 3"), 10 communes per EPCI ("Département 02 — Commune 17", INSEE code
  "Z0017", SIREN starting with 9: nothing real looks like that), one departmental sector named
  after the department and one facilitation body that follows all its operations.
- ``tiny``: a few dozen of each, for the tests.

Every count of the scale is hit exactly (contracts, lots, participants, placements) except the
declaration lines: placement durations (two years at most) are calibrated (bisection on a factor)
so that the lines land near the target. Contracts start between ``years`` + L years before
``--today`` and six months after it, with a lead-in L of one year (two years for a one-year
dataset) so that the first year is already busy: a one-year national dataset therefore also
holds the start of the contracts, placements and hours that are running in that year. Lines stop
at the month before ``--today``.

Distributions (the figures the dashboards show come out of them):

- buyers (by operation): Département 22 %, communes 30 %, EPCI 14 %, social landlords 18 %,
  hospitals 6 %, SEM 4 %, State, region and others 2 % each; 1 to 3 contracts per operation;
  lots per contract 1 to 10 (mean ≈ 2.7); 8 % of contracts are purchase-order frameworks.
- lots by activity follow the operation's theme (building about half, then public works, cleaning,
  green spaces, services, waste, catering). 3 % of lots have no clause. Legal bases: execution
  condition ≈ 87 %, award criterion 5 %, reserved to SIAE ≈ 3 %, to EA/ESAT ≈ 2.5 %, insertion
  contracts 1.5 %, ESS 0.5 % (reservations are drawn more often for cleaning, green spaces,
  waste and services). Reserved lots are held by a structure of the right kind.
- hours methods: formula (most), cleaning coefficient (cleaning lots, some with transferred
  staff), hours per euro invoiced (60 % of framework lots, with quarterly invoices), percentage
  of hours worked (4 %); 8 % of lots carry contractual hours rounded by the buyer.
- required hours are set last, from the hours actually validated on each lot: 40 % of the lots
  that have started are behind schedule on ``--today`` (lots with nothing validated yet are
  behind by construction and count in the 40 %), the others on track or done. Amounts follow from
  the hours and a plausible insertion rate (5–20 %; 50–100 % for reserved lots).
- placements: lots drawn in proportion to their duration; modes direct hire 50 %, provision by
  an ETTI/AI/GEIQ 30 %, subcontracting to an SIAE/EA/ESAT 15 % (which adds a subcontractor
  award), training 5 %; contract types follow the mode and the employer (CDDI in SIAE, intérim in
  ETTI, professionalisation in GEIQ…); 35 h a week mostly, part time in cleaning and in ACI.
  Participants are chained: a person placed again takes a new placement after the end of the
  previous one, so some hours fall outside the 24-month counting window (``counted=False``).
- participants: women 30 % in building (12 % public works, 60 % cleaning and catering…); age at
  first placement < 26: 27 %, 26–49: 55 %, ≥ 50: 18 %; no diploma 32 %, CAP/BEP 38 %, bac 18 %,
  bac+2 7 %, bac+3 and more 5 %; RSA at entry ≈ 45 % (rare under 25); criteria: RSA, DELD 38 %,
  JEUNE (75 % of under-26), SENIOR (60 % of 50+), QPV 18 %, TH 8 % (always at an EA/ESAT), AAH,
  ASS, ATA, IAE, EPIDE/E2C, DEROGATION; everyone has at least one.
- monthly lines: weekly hours × 52 ÷ 12, pro rata of the days worked, 80–100 % attendance, to
  the half hour, never above 208 h nor outside the placement's dates. Last month: 8 % of
  declarations not sent yet, 10 % drafts, 55 % waiting for validation, the rest validated; the
  month before: 6 % waiting; older months validated. 3.5 % of lines were rejected and corrected
  (version 1 rejected and no longer current, version 2 current); 3 % of recent lines are rejected
  and wait for their correction.
- outcomes at exit (and 6 months later) for every placement with an end date, recorded when due
  (92 % at exit, 75 % at 6 months): about 55 % sorties dynamiques at exit, 57 % at 6 months, a
  few neutral exits; RSA status recorded for RSA beneficiaries. Follow-ups at the start, after one
  month and at the end, 93 % done once due.
- job offers for about 55 % of the placements (the hired candidacy is linked to the placement),
  up to three other candidacies each; open offers on running lots, a few cancelled ones.
- awareness actions: about 36 a year per department, 1 to 3 audiences, 5 to 150 people.
- accounts (one password for all, ``PASSWORD``): an administrator and a department reader of the
  Département, one facilitator per facilitation body, the five busiest employers and buyers.

Marking and reset: every generated row can be found again. Organisations, participants and
awareness actions have ``notes`` starting with ``MARKER``, operations a ``description`` starting
with it, synthetic sectors a ``description`` starting with it, synthetic communes an INSEE code
starting with "Z", synthetic EPCI a SIREN starting with 9 and a name starting with
"Département ", users an e-mail at ``EMAIL_DOMAIN``; everything else hangs from those.
``delete_generated()`` removes exactly that (the reference data of Ain, the demo data and
anything typed by hand stay), so ``--reset`` can replace a dataset without emptying the database.

Speed: rows are planned in memory, then written with ``bulk_create`` in batches of ``BATCH_SIZE``;
no ``save()``, no signals. django-simple-history records history on ``post_save`` only, so the
bulk inserts leave no history rows — which is fine for generated data; likewise the reset deletes
the big tables with one ``DELETE`` each (``_raw_delete``, children first), which skips
simple-history's ``post_delete`` rows too. Determinism: one ``random.Random(seed)``, every
query ordered, no iteration over sets; the same seed on the same reference data gives the same
rows (the primary keys depend on the database's sequences).
"""

from .build import Generator, generate
from .config import (
    BATCH_SIZE,
    BEHIND_SHARE,
    COMMUNES_PER_EPCI,
    EMAIL_DOMAIN,
    EPCIS_PER_DEPARTMENT,
    MARKER,
    MAX_PLACEMENT_DAYS,
    PASSWORD,
    SCALES,
    SYNTHETIC_INSEE_PREFIX,
    SYNTHETIC_SIREN_PREFIX,
    DatasetError,
    Scale,
)
from .reset import delete_generated, has_generated_data

__all__ = [
    "BATCH_SIZE",
    "BEHIND_SHARE",
    "COMMUNES_PER_EPCI",
    "DatasetError",
    "EMAIL_DOMAIN",
    "EPCIS_PER_DEPARTMENT",
    "Generator",
    "MARKER",
    "MAX_PLACEMENT_DAYS",
    "PASSWORD",
    "SCALES",
    "SYNTHETIC_INSEE_PREFIX",
    "SYNTHETIC_SIREN_PREFIX",
    "Scale",
    "delete_generated",
    "generate",
    "has_generated_data",
]
