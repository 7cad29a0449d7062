"""Long tables (buyers, employers, EPCI of a region) shown by their first rows on the dashboards and
in the PDFs, with how many more the exports hold."""

import re
from decimal import Decimal

import pytest
from django.template.loader import render_to_string

from reporting.indicator_figures import CountRow, HoursRow
from reporting.leading_rows import LEADING_ROWS, leading
from reporting.rules import Period


def hours_rows(count):
    return [
        HoursRow(key=n, label=f"Donneur {n}", required=Decimal(1000 - n), validated=Decimal(n)) for n in range(count)
    ]


def test_the_first_rows_in_their_order_and_how_many_follow():
    rows = hours_rows(25)
    shown = leading(rows, 20)
    assert shown.rows == rows[:20] and shown.hidden == 5
    assert leading(rows[:3], 20) == leading(rows[:3]) and leading(rows[:3]).hidden == 0
    assert leading(iter(rows), 25).hidden == 0 and len(leading(rows, 1).rows) == 1
    with pytest.raises(ValueError):
        leading(rows, 0)


def table_rows(html):
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    return re.findall(r'<th scope="row"[^>]*>(.*?)</th>', body)


def test_the_dashboard_table_shows_the_first_rows_and_leads_to_the_export():
    context = {"rows": hours_rows(LEADING_ROWS + 7), "heading": "Donneur d'ordre", "caption": "Donneurs d'ordre"}
    context["figures"] = type("Figures", (), {"period": Period.year(2026)})
    html = render_to_string("reporting/dashboards/_hours_table.html", context)
    assert table_rows(html) == [f"Donneur {n}" for n in range(LEADING_ROWS)]
    assert f"Les {LEADING_ROWS} premières lignes sur 27." in " ".join(html.split())
    assert 'href="/exports/?year=2026"' in html and "« Heures par regroupement »" in html
    short = render_to_string("reporting/dashboards/_hours_table.html", context | {"rows": hours_rows(3)})
    assert len(table_rows(short)) == 3 and "premières lignes" not in short


def test_the_pdf_tables_show_the_first_rows_and_name_the_export():
    html = render_to_string(
        "reporting/pdf/_hours_table.html", {"rows": hours_rows(LEADING_ROWS + 1), "heading": "EPCI"}
    )
    assert len(table_rows(html)) == LEADING_ROWS
    assert f"Les {LEADING_ROWS} premières lignes sur 21" in " ".join(html.split())
    assert "« Heures par regroupement »" in html
    figures = type(
        "Figures",
        (),
        {
            "by_company": hours_rows(LEADING_ROWS + 2),
            "hours": HoursRow(key="total", label="Total", validated=Decimal(500)),
            "structures": [
                CountRow(
                    key=n, label=f"Structure {n}", extra={"kind": "EI", "kind_label": "EI", "roles": ["employeur"]}
                )
                for n in range(LEADING_ROWS + 3)
            ],
        },
    )
    companies = render_to_string("reporting/pdf/_company_table.html", {"figures": figures})
    assert len(table_rows(companies)) == LEADING_ROWS and "premières lignes sur 22" in " ".join(companies.split())
    structures = render_to_string("reporting/pdf/_structures.html", {"figures": figures})
    assert len(table_rows(structures)) == LEADING_ROWS and "« Indicateurs du réseau national »" in structures
