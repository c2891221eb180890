"""Export tables of monitoring (issue 16): every data query and every source-data verification.

De-identified exports carry no free text: the query's messages and the item
labels (which can hold dates, e.g. "Lab result anc (2026-02-27)") are left out;
the item key (``ecog``, ``lab_results:12``) joins them to the other tables.
"""

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


ITEM = ("text", "Item queried or verified: a candidates column, or '<table>:<row id>' (e.g. lab_results:12).")
LABEL = ("text", "The item as shown to users (identified exports only).")


class QueryResource(MonitoringResource):
    table = "queries"
    columns = {
        "query_id": ("integer", "Identifier of the data query."),
        **resources.common("screening_number"),
        "item": ITEM,
        "item_label": LABEL,
        "state": ("code", "open, answered (awaiting the raiser) or closed."),
        "assigned_role": ("code", "Role that answers: coordinator or investigator."),
        "raised_by": ("text", "User who raised the query."),
        "raised_at": ("datetime", "Time the query was raised."),
        "last_activity_at": ("datetime", "Time of the latest message."),
        "closed_at": ("datetime", "Time the query was closed; empty unless closed."),
        "messages": ("integer", "Messages in the thread (raise, answers, re-openings, closing)."),
        "question": ("text", "The text of the query (identified exports only)."),
    }
    query_id = Field(attribute="id", column_name="query_id")
    screening_number = Field(attribute="candidate__screening_number", column_name="screening_number")
    raised_by = Field(attribute="raised_by__username", column_name="raised_by")
    last_activity_at = Field(attribute="updated_at", column_name="last_activity_at")
    messages = Field(attribute="message_count", column_name="messages")


class VerificationResource(MonitoringResource):
    table = "verifications"
    columns = {
        "verification_id": ("integer", "Identifier of the verification mark."),
        **resources.common("screening_number"),
        "item": ITEM,
        "item_label": LABEL,
        "verified_by": ("text", "Monitor who verified the value against source."),
        "verified_at": ("datetime", "Time of the verification."),
        "fingerprint": ("text", "SHA-256 fingerprint of the value verified; a changed value no longer matches."),
    }
    verification_id = Field(attribute="id", column_name="verification_id")
    screening_number = Field(attribute="candidate__screening_number", column_name="screening_number")
    verified_by = Field(attribute="verified_by__username", column_name="verified_by")
