"""Server-side SVG charts: well-formed, accessible, French-formatted and safe for a strict CSP."""

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.utils.safestring import SafeString

from reporting.charts import (
    EMPTY_MESSAGE,
    PALETTE,
    bar_chart,
    column_chart,
    nice_scale,
    share_chart,
)

SVG = "{http://www.w3.org/2000/svg}"
NUMERIC_ATTRIBUTES = (
    "x",
    "y",
    "x1",
    "y1",
    "x2",
    "y2",
    "cx",
    "cy",
    "r",
    "width",
    "height",
    "points",
    "viewBox",
    "transform",
)
NICE_MANTISSAS = {Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5)}
MONTHS = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def by_class(root: ET.Element, tag: str, css_class: str) -> list[ET.Element]:
    return [element for element in root.iter(f"{SVG}{tag}") if element.get("class") == css_class]


def desc_of(root: ET.Element) -> str:
    return root.find(f"{SVG}desc").text


def from_french(text: str) -> Decimal:
    number = re.match(r"[\d\u00a0]+(,\d+)?", text).group(0)
    return Decimal(number.replace("\u00a0", "").replace(",", "."))


def all_charts() -> list[str]:
    items = [("Bâtiment", Decimal("1234.5")), ("Dupont & <Fils>", 300), ("Espaces verts", Decimal("12.25"))]
    months = [(f"{month} 2026", index * 37 + Decimal("0.5")) for index, month in enumerate(MONTHS)]
    return [
        bar_chart(items, title="Heures par secteur"),
        column_chart(months, title="Heures par mois", reference=[Decimal("150.333")] * 12),
        column_chart(months[:3], title="Trimestre"),
        share_chart(items, title="Répartition", width=Decimal("500.5")),
        bar_chart([], title="Vide"),
    ]


# --- every chart -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("index", range(5))
def test_every_chart_is_a_well_formed_accessible_svg(index):
    svg = all_charts()[index]
    assert isinstance(svg, SafeString)
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("class") == "chart"
    width, height = root.get("width"), root.get("height")
    assert root.get("viewBox") == f"0 0 {width} {height}"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").get("id") == title_id and title_id.endswith("-title")
    assert root.find(f"{SVG}desc").get("id") == desc_id and desc_id.endswith("-desc")
    assert desc_of(root).endswith(".")


@pytest.mark.parametrize("index", range(5))
def test_numeric_attributes_use_a_dot_and_two_decimals_at_most(index):
    root = parse(all_charts()[index])
    checked = 0
    for element in root.iter():
        for name in NUMERIC_ATTRIBUTES:
            value = element.get(name)
            if value is None:
                continue
            checked += 1
            assert "," not in value, (element.tag, name, value)
            for number in re.findall(r"-?[\d.]+(?:e[-+]?\d+)?", value, flags=re.IGNORECASE):
                assert re.fullmatch(r"-?\d+(\.\d{1,2})?", number), (element.tag, name, value)
    assert checked > 3


@pytest.mark.parametrize("index", range(5))
def test_texts_carry_their_font_and_nothing_breaks_the_csp(index):
    svg = all_charts()[index]
    root = parse(svg)
    texts = list(root.iter(f"{SVG}text"))
    assert texts
    for text in texts:
        assert text.get("font-family") == "DejaVu Sans, Arial, sans-serif"
        assert float(text.get("font-size")) > 0
        assert text.get("fill")
    for element in root.iter():
        assert "style" not in element.attrib
        assert not any(name.startswith("on") for name in element.attrib)
        assert element.tag not in (f"{SVG}script", f"{SVG}image", f"{SVG}foreignObject", f"{SVG}style")
    assert "href" not in svg and "<script" not in svg


def test_ids_differ_for_different_titles_and_are_stable():
    items = [("Bâtiment", 10)]
    first = parse(bar_chart(items, title="Heures par secteur")).find(f"{SVG}title").get("id")
    again = parse(bar_chart(items, title="Heures par secteur")).find(f"{SVG}title").get("id")
    other = parse(bar_chart(items, title="Heures par mode")).find(f"{SVG}title").get("id")
    punctuated = parse(bar_chart(items, title="Heures par mode !")).find(f"{SVG}title").get("id")
    assert first == again
    assert first.startswith("chart-heures-par-secteur-")
    assert len({first, other, punctuated}) == 3


def test_ids_depend_on_the_data():
    first = parse(share_chart([("A", 1)], title="Parts")).get("aria-labelledby")
    second = parse(share_chart([("A", 2)], title="Parts")).get("aria-labelledby")
    assert first != second


@pytest.mark.parametrize(
    "draw",
    [
        lambda items: bar_chart(items, title="Vide"),
        lambda items: column_chart(items, title="Vide"),
        lambda items: share_chart(items, title="Vide"),
    ],
)
@pytest.mark.parametrize("items", [[], [("Bâtiment", 0), ("Négatif", -5)]])
def test_no_data_shows_the_empty_message(draw, items):
    root = parse(draw(items))
    assert root.find(f"{SVG}title").text == "Vide"
    assert desc_of(root) == EMPTY_MESSAGE == "Aucune donnée pour cette période."
    texts = list(root.iter(f"{SVG}text"))
    assert [text.text for text in texts] == [EMPTY_MESSAGE]
    assert texts[0].get("text-anchor") == "middle"
    assert float(texts[0].get("x")) == pytest.approx(float(root.get("width")) / 2)
    assert not list(root.iter(f"{SVG}rect"))


# --- bar chart -------------------------------------------------------------------------------------------------


def test_bar_lengths_are_proportional_to_values():
    root = parse(bar_chart([("Cent", 100), ("Cinquante", Decimal(50)), ("Vingt-cinq", 25)], title="Barres"))
    widths = [float(rect.get("width")) for rect in by_class(root, "rect", "bar")]
    assert widths[0] / widths[1] == pytest.approx(2, abs=0.01)
    assert widths[0] / widths[2] == pytest.approx(4, abs=0.01)
    assert len({rect.get("x") for rect in by_class(root, "rect", "bar")}) == 1


def test_negative_values_are_drawn_as_zero():
    root = parse(bar_chart([("Positif", 10), ("Négatif", -4)], title="Barres"))
    assert [float(rect.get("width")) for rect in by_class(root, "rect", "bar")][1] == 0
    assert "Négatif : 0\u00a0h" in desc_of(root)


def test_bar_labels_are_escaped():
    svg = bar_chart([("Dupont & <Fils>", 10)], title="Entreprises <b>")
    assert "<Fils>" not in svg and "<b>" not in svg
    assert "Dupont &amp; &lt;Fils&gt;" in svg
    root = parse(svg)
    assert [text.text for text in root.iter(f"{SVG}text")][0] == "Dupont & <Fils>"
    assert root.find(f"{SVG}title").text == "Entreprises <b>"


def test_bar_values_are_written_in_french():
    root = parse(bar_chart([("Bâtiment", Decimal("1234.5")), ("Voirie", 12)], title="Heures"))
    values = [text.text for text in by_class(root, "text", "chart-value")]
    assert values == ["1\u00a0234,5\u00a0h", "12\u00a0h"]


def test_bar_percent_unit_has_no_space():
    root = parse(bar_chart([("Atteinte", Decimal("33.3")), ("Reste", 100)], title="Taux", unit="%"))
    assert [text.text for text in by_class(root, "text", "chart-value")] == ["33,3%", "100%"]


def test_bar_value_sits_at_the_end_of_its_bar():
    root = parse(bar_chart([("Bâtiment", 80)], title="Heures"))
    rect = by_class(root, "rect", "bar")[0]
    value = by_class(root, "text", "chart-value")[0]
    assert float(value.get("x")) >= float(rect.get("x")) + float(rect.get("width"))
    assert float(root.get("width")) - float(value.get("x")) > 30  # room left to write « 80 h »


def test_bar_desc_lists_every_item():
    items = [("Bâtiment", 1200), ("Travaux publics", 300), ("Dupont & <Fils>", Decimal("7.5"))]
    desc = desc_of(parse(bar_chart(items, title="Heures")))
    assert desc == "Bâtiment : 1\u00a0200\u00a0h ; Travaux publics : 300\u00a0h ; Dupont & <Fils> : 7,5\u00a0h."


def test_long_labels_are_truncated_but_kept_whole_in_the_row_title():
    long_label = "Association intermédiaire du pays de Gex et du Bugey"
    root = parse(bar_chart([(long_label, 10), ("Exactement trente-huit caractères ici.", 5)], title="Heures"))
    rows = by_class(root, "g", "chart-row")
    shown = rows[0].find(f"{SVG}text").text
    assert shown.endswith("…") and len(shown) <= 38
    assert long_label.startswith(shown[:-1])
    assert long_label in rows[0].find(f"{SVG}title").text
    assert rows[1].find(f"{SVG}text").text == "Exactement trente-huit caractères ici."
    assert long_label in desc_of(root)


def test_bar_chart_grows_with_the_number_of_items():
    heights = [
        float(parse(bar_chart([(f"L{i}", i + 1) for i in range(n)], title="H")).get("height")) for n in (1, 2, 10)
    ]
    assert heights[0] < heights[1] < heights[2]
    assert float(parse(bar_chart([("A", 1)], title="H", width=400)).get("width")) == 400


# --- column chart ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("maximum", [1, 3, Decimal("5.1"), 9, 10, Decimal("10.5"), 12, 99, 100, 101, 1234, 99999])
def test_nice_scale(maximum):
    step, intervals = nice_scale(maximum)
    assert intervals in (4, 5)
    assert step * intervals >= maximum
    assert step * (intervals - 1) < maximum or intervals == 4
    assert step.scaleb(-step.adjusted()).normalize() in NICE_MANTISSAS


def test_column_gridline_labels_are_nice_numbers():
    items = [(f"{month} 2026", value) for month, value in zip(MONTHS, [120, 340, 95, 410, 0, 275], strict=False)]
    root = parse(column_chart(items, title="Heures par mois"))
    ticks = [text.text for text in by_class(root, "text", "tick")]
    assert ticks[0] == "0\u00a0h"
    assert all(tick.endswith("\u00a0h") for tick in ticks)
    values = [from_french(tick) for tick in ticks]
    steps = {b - a for a, b in zip(values, values[1:], strict=False)}
    assert len(steps) == 1
    step = steps.pop()
    assert step.scaleb(-step.adjusted()).normalize() in NICE_MANTISSAS
    assert len(values) - 1 in (4, 5)
    assert values[-1] >= 410
    assert values == [Decimal(0), Decimal(100), Decimal(200), Decimal(300), Decimal(400), Decimal(500)]


def test_column_heights_are_proportional_and_share_a_baseline():
    root = parse(column_chart([("janv. 2026", 100), ("févr. 2026", 50)], title="Mois"))
    columns = by_class(root, "rect", "column")
    heights = [float(rect.get("height")) for rect in columns]
    assert heights[0] / heights[1] == pytest.approx(2, abs=0.01)
    bottoms = {round(float(rect.get("y")) + float(rect.get("height")), 1) for rect in columns}
    assert len(bottoms) == 1


def test_column_labels_rotate_beyond_eight_columns():
    eight = parse(column_chart([(f"{m} 2026", 10) for m in MONTHS[:8]], title="Huit"))
    twelve = parse(column_chart([(f"{m} 2026", 10) for m in MONTHS], title="Douze"))
    eight_labels = [g.find(f"{SVG}text") for g in by_class(eight, "g", "chart-column")]
    twelve_labels = [g.find(f"{SVG}text") for g in by_class(twelve, "g", "chart-column")]
    assert [label.text for label in eight_labels] == [f"{m} 2026" for m in MONTHS[:8]]
    assert all(label.get("transform") is None for label in eight_labels)
    assert len(twelve_labels) == 12
    assert all(label.get("transform", "").startswith("rotate(-45 ") for label in twelve_labels)


def test_reference_polyline_has_one_point_per_value_and_a_legend():
    values = [120, 340, 95, 410]
    expected = [150, 150, Decimal("200.5"), 300]
    items = [(f"{month} 2026", value) for month, value in zip(MONTHS, values, strict=False)]
    root = parse(column_chart(items, title="Heures", reference=expected))
    polylines = by_class(root, "polyline", "reference")
    assert len(polylines) == 1
    numbers = polylines[0].get("points").split()
    assert len(numbers) == 2 * len(expected)
    xs = [float(x) for x in numbers[::2]]
    assert xs == sorted(xs)
    column_centres = [float(rect.get("x")) + float(rect.get("width")) / 2 for rect in by_class(root, "rect", "column")]
    assert xs == pytest.approx(column_centres, abs=0.02)
    assert len(list(root.iter(f"{SVG}circle"))) >= len(expected)
    legend = [text.text for text in by_class(root, "g", "chart-legend")[0].iter(f"{SVG}text")]
    assert legend == ["Heures validées", "Heures attendues"]
    desc = desc_of(root)
    assert "janv. 2026 : Heures validées 120\u00a0h, Heures attendues 150\u00a0h" in desc
    assert "mars 2026 : Heures validées 95\u00a0h, Heures attendues 200,5\u00a0h" in desc


def test_reference_labels_can_be_renamed_and_length_is_checked():
    root = parse(
        column_chart([("T1", 3)], title="Sorties", unit="", reference=[4], series_label="Réel", reference_label="Cible")
    )
    assert [text.text for text in by_class(root, "g", "chart-legend")[0].iter(f"{SVG}text")] == ["Réel", "Cible"]
    assert desc_of(root) == "T1 : Réel 3, Cible 4."
    with pytest.raises(ValueError):
        column_chart([("T1", 3), ("T2", 4)], title="Sorties", reference=[4])


def test_column_chart_without_reference_has_no_polyline_and_lists_every_item():
    items = [("janv. 2026", Decimal("1234.5")), ("févr. 2026", 0), ("mars 2026", 12)]
    root = parse(column_chart(items, title="Heures"))
    assert not list(root.iter(f"{SVG}polyline"))
    assert (
        desc_of(root)
        == "Heures validées — janv. 2026 : 1\u00a0234,5\u00a0h ; févr. 2026 : 0\u00a0h ; mars 2026 : 12\u00a0h."
    )
    assert root.get("height") == "240"


def test_column_chart_with_only_expected_hours_is_not_empty():
    root = parse(column_chart([("janv. 2026", 0)], title="Heures", reference=[35]))
    assert desc_of(root) != EMPTY_MESSAGE
    assert len(by_class(root, "polyline", "reference")) == 1


# --- share chart -----------------------------------------------------------------------------------------------


def share_items():
    return [
        ("Embauche directe", Decimal("520")),
        ("Mise à disposition", 300),
        ("Formation", 40),
        ("Sous-traitance", 200),
        ("GEIQ", 90),
        ("Autre", 5),
        ("Neuf", 30),
        ("Dix", 12),
        ("Onze", 1),
    ]


def legend_percentages(root: ET.Element) -> list[int]:
    texts = [text.text for text in by_class(root, "text", "legend-label")]
    return [int(re.search(r"\((\d+)%\)$", text).group(1)) for text in texts]


@pytest.mark.parametrize(
    "items",
    [share_items(), [("A", 1), ("B", 1), ("C", 1)], [("Seul", 7)], [("A", 2), ("B", 0), ("C", 1)]],
)
def test_share_percentages_sum_to_100(items):
    root = parse(share_chart(items, title="Parts"))
    percentages = legend_percentages(root)
    assert len(percentages) == len(items)
    assert abs(sum(percentages) - 100) <= 1


@pytest.mark.parametrize("width", [640, 333, Decimal("500.5")])
def test_share_segments_fill_the_bar_exactly(width):
    root = parse(share_chart(share_items(), title="Parts", width=width))
    frame = by_class(root, "rect", "share-frame")[0]
    segments = by_class(root, "rect", "segment")
    assert len(segments) == len(share_items())
    assert sum(Decimal(rect.get("width")) for rect in segments) == Decimal(frame.get("width"))
    assert Decimal(segments[0].get("x")) == Decimal(frame.get("x"))
    for previous, following in zip(segments, segments[1:], strict=False):
        assert Decimal(previous.get("x")) + Decimal(previous.get("width")) == Decimal(following.get("x"))


def test_share_segment_widths_follow_the_values():
    root = parse(share_chart([("A", 3), ("B", 1)], title="Parts"))
    widths = [float(rect.get("width")) for rect in by_class(root, "rect", "segment")]
    assert widths[0] / widths[1] == pytest.approx(3, abs=0.01)


def test_share_shows_percentages_only_on_wide_segments():
    root = parse(share_chart([("Large", 90), ("Moyen", 8), ("Étroit", 2)], title="Parts"))
    assert [text.text for text in by_class(root, "text", "segment-percent")] == ["90%", "8%"]
    assert legend_percentages(root) == [90, 8, 2]


def test_share_palette_has_eight_distinct_colours_and_cycles():
    root = parse(share_chart(share_items(), title="Parts"))
    fills = [rect.get("fill") for rect in by_class(root, "rect", "segment")]
    assert len(set(PALETTE)) == 8
    assert fills[:8] == list(PALETTE)
    assert fills[8] == PALETTE[0]


def test_share_legend_and_desc_list_every_item_escaped():
    items = [("Dupont & <Fils>", 3), ("Mise à disposition", 1)]
    svg = share_chart(items, title="Parts", unit="h")
    assert "<Fils>" not in svg
    root = parse(svg)
    assert [text.text for text in by_class(root, "text", "legend-label")] == [
        "Dupont & <Fils> (75%)",
        "Mise à disposition (25%)",
    ]
    assert desc_of(root) == "Dupont & <Fils> : 3\u00a0h (75%) ; Mise à disposition : 1\u00a0h (25%)."


def test_share_legend_wraps_and_the_chart_grows():
    one = parse(share_chart([("Embauche directe", 1)], title="Parts"))
    many = parse(share_chart(share_items(), title="Parts", width=320))
    assert float(many.get("height")) > float(one.get("height"))
    for rect in many.iter(f"{SVG}rect"):
        assert float(rect.get("y")) + float(rect.get("height")) <= float(many.get("height"))
