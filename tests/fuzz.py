"""Hostile values for the fuzz tests (tests/test_fuzz_*.py): what a careless or malicious user types."""

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Each fuzz test is bounded: a few dozen examples, no per-example deadline (a page may be slow once).
FUZZ = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
)

NASTY = [
    "",
    " ",
    "0",
    "-1",
    "-35",
    "-0,01",
    "1e30",
    "1E+400",
    "-1e-30",
    "9" * 40,
    "NaN",
    "Infinity",
    "-inf",
    "35,555",
    "1 234,5",
    "0x1F",
    "2026-02-30",
    "31/02/2026",
    "9999-12-31",
    "0001-01-01",
    "00/00/0000",
    "2026-13-01",
    '=HYPERLINK("http://evil.example","clic")',
    "=1+1",
    "+33 6 00 00 00 00",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=cmd",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ 7*7 }}",
    "'; DROP TABLE partners_organisation; --",
    "\x00",
    "a\x00b",
    "\ud7ff\ue000\uffff",
    "é" * 5000,
    "x" * 100_000,
    "../../etc/passwd",
    "Ω≈ç√∫",
    "🙂" * 50,
]

nasty_text = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=300),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.dates().map(lambda d: d.isoformat()),
    st.dates().map(lambda d: f"{d:%d/%m/%Y}"),
)

# A value a browser can send in a form field: text without NUL bytes is the common case; NUL is kept
# for a few examples (Django refuses it in CharFields).
form_value = nasty_text
