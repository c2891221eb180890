"""Search and filters of the candidate list and of the screening log (django-filter)."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from screening import criterion_ids, protocols, vocabulary
from screening.models import Candidate
from screening.selectors.signoff import in_signoff_state

DATE_INPUT = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")
SELECT = forms.Select(attrs={"class": "form-select"})


class CandidateFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Screening number or initials"), max_length=40)
    outcome = django_filters.ChoiceFilter(field_name="latest_evaluation__outcome", choices=vocabulary.status_choices("outcome"),
                                          label=_("Outcome"), empty_label=_("Any outcome"))
    failing = django_filters.ChoiceFilter(choices=protocols.criterion_choices(),
                                          method="failing_criterion", label=_("Failing criterion"),
                                          empty_label=_("Any criterion"))

    class Meta:
        model = Candidate
        fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["q"].widget.attrs.update({"class": "form-control", "type": "search",
                                                   "placeholder": _("e.g. NLX-S-012 or WXL")})

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(screening_number__icontains=value) | Q(initials__icontains=value))

    def failing_criterion(self, queryset, name, value):
        return queryset.filter(latest_evaluation__failing__contains=criterion_ids.contains(value))


class LogFilter(django_filters.FilterSet):
    screened_from = django_filters.DateFilter(
        field_name="screening_date", lookup_expr="gte", label=_("Screened from"), widget=DATE_INPUT
    )
    screened_to = django_filters.DateFilter(
        field_name="screening_date", lookup_expr="lte", label=_("Screened to"), widget=DATE_INPUT
    )
    outcome = django_filters.ChoiceFilter(
        field_name="latest_evaluation__outcome", label=_("Outcome"),
        choices=vocabulary.status_choices("outcome"), widget=SELECT,
    )
    failing = django_filters.ChoiceFilter(
        label=_("Failing criterion"), method="filter_failing",
        choices=protocols.criterion_choices(), widget=SELECT,
    )
    state = django_filters.ChoiceFilter(
        field_name="state", label=_("State"), choices=vocabulary.status_choices("state"), widget=SELECT
    )
    signoff = django_filters.ChoiceFilter(
        label=_("Sign-off"), widget=SELECT, method="filter_signoff",
        choices=vocabulary.status_choices("signoff"),
    )

    class Meta:
        model = Candidate
        fields = []

    def filter_failing(self, queryset, name, value):
        return queryset.filter(latest_evaluation__failing__contains=criterion_ids.contains(value))

    def filter_signoff(self, queryset, name, value):
        return in_signoff_state(queryset, value)
