"""Forms of the employer's portal: the monthly hours grid and the proof files; messages in French.

The grid has one text field per person (``hours_<placement id>``), read with ``parse_hours`` so that
"35,5" and "35.5" both work, and the declaration's revision in a hidden field for the optimistic
lock. The rules on the hours themselves (bounds, dates) are checked by ``save_hours``; its errors are
put back next to each person's field with ``add_declaration_errors``.
"""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from common.dates import month_label
from placements import declaration_rules as rules

from . import proofs

HOURS_PREFIX = "hours_"
EXPIRED_PAGE = "La page est incomplète ou trop ancienne : rechargez-la, puis saisissez à nouveau vos heures."


def field_name(placement_id):
    return f"{HOURS_PREFIX}{placement_id}"


def placement_id_of(name):
    """The placement id of a grid field name, or None for any other name."""
    if name.startswith(HOURS_PREFIX) and name[len(HOURS_PREFIX) :].isdigit():
        return int(name[len(HOURS_PREFIX) :])
    return None


def format_hours(hours):
    """Hours as a person types them: "35", "35,5", "151,67"."""
    if hours is None:
        return ""
    hours = Decimal(hours)
    if hours == hours.to_integral_value():
        return str(int(hours))
    return f"{hours:.2f}".rstrip("0").replace(".", ",")


class HoursInput(forms.TextInput):
    """A text input, so that "35,5" is accepted; phones show the numeric keypad with a decimal sign."""

    def __init__(self, attrs=None):
        base = {"inputmode": "decimal", "autocomplete": "off", "class": "form-control text-end", "size": "7"}
        super().__init__({**base, **(attrs or {})})


class DeclarationGridForm(forms.Form):
    """Hours of each person of the month that may still be changed (locked lines have no field)."""

    revision = forms.CharField(label="Version de la page", widget=forms.HiddenInput, required=False, max_length=12)

    def __init__(self, *args, rows, month, **kwargs):
        super().__init__(*args, **kwargs)
        self.month = month
        self.placement_ids = []
        for row in rows:
            if row.locked:
                continue
            name = field_name(row.placement.pk)
            self.fields[name] = forms.CharField(
                label=f"Heures de {row.placement.participant} en {month_label(month)}",
                required=False,
                max_length=20,
                widget=HoursInput(),
                error_messages={"max_length": "Indiquez seulement un nombre d'heures, par exemple 35 ou 35,5."},
            )
            self.initial.setdefault(name, row.initial_text)
            self.placement_ids.append(row.placement.pk)

    def clean(self):
        cleaned = super().clean()
        revision = (cleaned.get("revision") or "").strip()
        if not revision.isdigit():
            self.add_error(None, EXPIRED_PAGE)
        else:
            cleaned["revision"] = int(revision)
        for placement_id in self.placement_ids:
            name = field_name(placement_id)
            if name in self.errors:
                continue
            try:
                cleaned[name] = rules.parse_hours(cleaned.get(name))
            except ValueError as exc:
                self.add_error(name, f"{exc} Écrivez un nombre, par exemple 35 ou 35,5.")
        return cleaned

    def hours_by_placement(self):
        """{placement id: Decimal or None} of the fields, once the form is valid."""
        return {pid: self.cleaned_data.get(field_name(pid)) for pid in self.placement_ids}

    def add_declaration_errors(self, errors, names=None):
        """Put the errors of ``save_hours`` next to each person's field; others above the grid.

        ``names`` gives "first last" of placements that have no field in this grid (typed for a person
        whose placement does not cover the month), so that the message says who it is about.
        """
        names = names or {}
        for key, message in errors.items():
            name = field_name(key) if isinstance(key, int) else None
            if name in self.fields:
                self.add_error(name, message)
            elif key in names:
                self.add_error(None, f"{names[key]} : {message}")
            else:
                self.add_error(None, message)

    def error_for(self, placement_id):
        return self.errors.get(field_name(placement_id))


class ProofForm(forms.Form):
    """A proof file, checked by its content (PDF, JPEG, PNG), 10 Mo at most."""

    file = forms.FileField(
        label="Justificatif à joindre",
        help_text=(
            "PDF, JPEG ou PNG, 10 Mo au plus : bulletins de paie, relevé d'heures de l'agence, rapport de la structure…"
        ),
        error_messages={
            "required": "Choisissez le fichier à joindre.",
            "empty": "Le fichier est vide : choisissez le bon fichier.",
            "invalid": "Le fichier n'a pas été reçu : choisissez-le à nouveau.",
            "missing": "Le fichier n'a pas été reçu : choisissez-le à nouveau.",
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        try:
            self.kind = proofs.check_proof(uploaded)
        except proofs.ProofRejected as exc:
            raise ValidationError(str(exc)) from exc
        return uploaded
