"""Forms for queries and source-data verification, and the filters of the query list.

The answer form offers the queried value for correction with the candidate
form's own field (or row form), so a correction is parsed exactly like an
edit; the whole record then goes through ``save_candidate``.
"""

import copy
import datetime

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from screening import interchange, roles, vocabulary
from screening.forms import ROW_FORMSETS, CandidateForm, initial_value
from screening.models import Query
from screening.services.queries import TEXT_LIMIT, record_of

ROW_FORMS = {related_name: formset.form for formset, related_name in ROW_FORMSETS.values()}
AGES = [("1", _("older than 1 day")), ("3", _("older than 3 days")), ("7", _("older than 7 days")),
        ("14", _("older than 14 days"))]
ASSIGNABLE = [(role, vocabulary.ROLE[role]) for role in Query.ASSIGNABLE]


def message_field(required=True, label=_("Message")):
    return forms.CharField(label=label, required=required, max_length=TEXT_LIMIT,
                           widget=forms.Textarea(attrs={"rows": 3}))


class RaiseForm(forms.Form):
    text = message_field(label=_("Query"))
    assigned_role = forms.ChoiceField(label=_("Assigned to"), choices=ASSIGNABLE,
                                      initial=roles.COORDINATOR, widget=forms.RadioSelect)


class MessageForm(forms.Form):
    text = message_field()


class CloseForm(forms.Form):
    text = message_field(required=False, label=_("Closing note (optional)"))


class AnswerForm(forms.Form):
    """The answer, and the queried item's current value, which the coordinator may correct."""

    text = message_field(label=_("Answer"))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, data=None, *, query, candidate):
        super().__init__(data, initial={"version": candidate.version})
        self.candidate, self.query = candidate, query
        self.row_form = None
        kind, _, row_id = query.item.partition(":")
        if kind in CandidateForm.base_fields and not row_id:
            field = copy.deepcopy(CandidateForm.base_fields[kind])
            field.label = gettext("Value: %(label)s") % {"label": field.label or kind}
            field.required = False
            field.help_text = gettext("Change it here to correct the value with this answer; leave it to answer only.")
            self.fields["value"] = field
            self.initial["value"] = initial_value(getattr(candidate, kind))
        elif kind in ROW_FORMS and row_id:
            row = next((row for row in getattr(candidate, kind).all() if str(row.pk) == row_id), None)
            if row is not None:
                form_class = ROW_FORMS[kind]
                initial = {"id": row.pk, **{name: initial_value(getattr(row, name))
                                            for name in form_class.fields_in_record}}
                self.row_form = form_class(data, prefix="row", initial=initial)

    def is_valid(self):
        valid = super().is_valid()
        return (self.row_form.is_valid() if self.row_form is not None else True) and valid

    def correction(self):
        """The full record with the corrected value, or None when the value was left as it is."""
        record = record_of(self.candidate)
        name = self.query.item
        if "value" in self.fields:
            if not self.has_changed() or "value" not in self.changed_data:
                return None
            value = self.cleaned_data["value"]
            if name == interchange.LESIONS.assessed:
                if record["lesions"] in (None, []):
                    record["lesions"] = interchange.listed([], value)
            else:
                interchange.put(record, interchange.PATHS[name], interchange.typed_value(value))
            return record
        if self.row_form is None or not self.row_form.has_changed():
            return None
        entry = self.row_form.entry()
        key = interchange.ROWS_BY_RELATED_NAME[name.partition(":")[0]].key
        record[key] = [entry if row["id"] == entry["id"] else row for row in record[key] or []]
        return record


class QueryFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=Query.State.choices, label=_("State"), empty_label=_("Any state"))
    raised_by = django_filters.CharFilter(field_name="raised_by__username", lookup_expr="iexact",
                                          label=_("Raised by"), max_length=150)
    assigned_role = django_filters.ChoiceFilter(choices=ASSIGNABLE, label=_("Assigned to"), empty_label=_("Any role"))
    candidate = django_filters.CharFilter(field_name="candidate__screening_number", lookup_expr="icontains",
                                          label=_("Candidate"), max_length=40)
    age = django_filters.ChoiceFilter(choices=AGES, method="older_than", label=_("Age"), empty_label=_("Any age"))

    class Meta:
        model = Query
        fields = ()

    def older_than(self, queryset, name, value):
        return queryset.filter(raised_at__lte=timezone.now() - datetime.timedelta(days=int(value)))
