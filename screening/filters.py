"""Search and filters of the candidate list (django-filter)."""

import django_filters
from django.db.models import Q

from screening import criterion_ids, protocols, vocabulary
from screening.models import Candidate


class CandidateFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Screening number or initials", max_length=40)
    outcome = django_filters.ChoiceFilter(field_name="latest_evaluation__outcome", choices=vocabulary.status_choices("outcome"),
                                          label="Outcome", empty_label="Any outcome")
    failing = django_filters.ChoiceFilter(choices=protocols.criterion_choices(),
                                          method="failing_criterion", label="Failing criterion",
                                          empty_label="Any criterion")

    class Meta:
        model = Candidate
        fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["q"].widget.attrs.update({"class": "form-control", "type": "search",
                                                   "placeholder": "e.g. NLX-S-012 or WXL"})

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(screening_number__icontains=value) | Q(initials__icontains=value))

    def failing_criterion(self, queryset, name, value):
        return queryset.filter(latest_evaluation__failing__contains=criterion_ids.contains(value))
