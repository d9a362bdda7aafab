from django import forms
from django.utils.translation import gettext_lazy as _

from core.search import SEARCH_MAX_LENGTH
from search.engine import KINDS


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search for"),
        max_length=SEARCH_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "class": "krds-input"}),
    )
    kind = forms.ChoiceField(
        label=_("Show"),
        choices=[("", _("Every kind")), *((kind.key, kind.label) for kind in KINDS)],
        required=False,
        widget=forms.Select(attrs={"class": "krds-form-select"}),
    )
