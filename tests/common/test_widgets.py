"""``FastSelect`` writes the same HTML as Django's ``Select``, without a template per option."""

import pytest
from django import forms
from django.test import SimpleTestCase

from common.widgets import FastSelect, FastSelectMultiple

CHOICES = [
    ("", "Tous"),
    (1234, "Lot 1 — <Gros œuvre> & « fondations »"),
    ("Bugey", [(5, "Ambérieu-en-Bugey"), (6, "Belley")]),
    ("2026-03", "Mars 2026"),
]


@pytest.mark.parametrize(
    ("value", "attrs"),
    [
        (None, {}),
        ("", {"class": "form-select"}),
        (1234, {"class": "form-select is-invalid", "aria-describedby": "id_lot_error"}),
        ("6", {"disabled": True, "required": False}),
        ("2026-03", {"data-label": 'Il a dit "oui"'}),
    ],
)
def test_same_html_as_django(value, attrs):
    django_widget, fast = forms.Select(attrs=attrs), FastSelect(attrs=attrs)
    django_widget.choices = fast.choices = CHOICES
    SimpleTestCase().assertHTMLEqual(
        fast.render("lot", value, {"id": "id_lot"}), django_widget.render("lot", value, {"id": "id_lot"})
    )


def test_several_choices():
    django_widget, fast = forms.SelectMultiple(), FastSelectMultiple()
    django_widget.choices = fast.choices = CHOICES
    rendered = fast.render("lots", [1234, 5], {"id": "id_lots"})
    SimpleTestCase().assertHTMLEqual(rendered, django_widget.render("lots", [1234, 5], {"id": "id_lots"}))
    assert "multiple" in rendered


def test_labels_are_escaped():
    fast = FastSelect(choices=[("<x>", "<script>alert(1)</script>")])
    rendered = fast.render("f", None)
    assert "<script>" not in rendered and "&lt;script&gt;" in rendered and 'value="&lt;x&gt;"' in rendered


def test_a_form_field_renders_with_its_errors_linked(db):
    class Filter(forms.Form):
        lot = forms.ChoiceField(choices=CHOICES, widget=FastSelect(attrs={"class": "form-select"}))

    form = Filter({"lot": "999"})
    assert not form.is_valid()
    html = str(form["lot"])
    assert 'name="lot"' in html and 'id="id_lot"' in html and 'aria-invalid="true"' in html
