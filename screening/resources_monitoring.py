"""Export tables of monitoring (issue 16): every data query and every source-data verification.

De-identified exports carry no free text: the query's messages and the item
labels (which can hold dates, e.g. "Lab result anc (2026-02-27)") are left out;
the item key (``ecog``, ``lab_results:12``) joins them to the other tables.
"""

from django.utils.translation import gettext_noop
from import_export.fields import Field

from screening import resources

FREE_TEXT = ("item_label", "question", "last_message")


class MonitoringResource(resources.ExportResource):
    free_text = FREE_TEXT  # removed from de-identified exports, like resources.IDENTIFYING

    def __init__(self, policy):
        super().__init__(policy)
        if policy.deidentified:
            self._export_fields = [field for field in self._export_fields if field.column_name not in FREE_TEXT]

    def dictionary_rows(self):
        for row in super().dictionary_rows():
            if row[1] not in FREE_TEXT or not self.policy.deidentified:
                yield row


ITEM = ("text", gettext_noop("Item queried or verified: a candidates column, or '<table>:<row id>' (e.g. lab_results:12)."))
LABEL = ("text", gettext_noop("The item as shown to users (identified exports only)."))


class QueryResource(MonitoringResource):
    table = "queries"
    columns = {
        "query_id": ("integer", gettext_noop("Identifier of the data query.")),
        **resources.common("screening_number"),
        "item": ITEM,
        "item_label": LABEL,
        "state": ("code", gettext_noop("open, answered (awaiting the raiser) or closed.")),
        "assigned_role": ("code", gettext_noop("Role that answers: coordinator or investigator.")),
        "raised_by": ("text", gettext_noop("User who raised the query.")),
        "raised_at": ("datetime", gettext_noop("Time the query was raised.")),
        "last_activity_at": ("datetime", gettext_noop("Time of the latest message.")),
        "closed_at": ("datetime", gettext_noop("Time the query was closed; empty unless closed.")),
        "messages": ("integer", gettext_noop("Messages in the thread (raise, answers, re-openings, closing).")),
        "question": ("text", gettext_noop("The text of the query (identified exports only).")),
    }
    query_id = Field(attribute="id", column_name="query_id")
    screening_number = Field(attribute="candidate__screening_number", column_name="screening_number")
    raised_by = Field(attribute="raised_by__username", column_name="raised_by")
    last_activity_at = Field(attribute="updated_at", column_name="last_activity_at")
    messages = Field(attribute="message_count", column_name="messages")


class VerificationResource(MonitoringResource):
    table = "verifications"
    columns = {
        "verification_id": ("integer", gettext_noop("Identifier of the verification mark.")),
        **resources.common("screening_number"),
        "item": ITEM,
        "item_label": LABEL,
        "verified_by": ("text", gettext_noop("Monitor who verified the value against source.")),
        "verified_at": ("datetime", gettext_noop("Time of the verification.")),
        "fingerprint": ("text", gettext_noop("SHA-256 fingerprint of the value verified; a changed value no longer matches.")),
    }
    verification_id = Field(attribute="id", column_name="verification_id")
    screening_number = Field(attribute="candidate__screening_number", column_name="screening_number")
    verified_by = Field(attribute="verified_by__username", column_name="verified_by")
