"""Model helpers (``screening.model_base``)."""

import pytest

from screening.models import mark_change


@pytest.mark.django_db
def test_mark_change_sets_what_the_history_records(users, make_candidate):
    """The one helper for simple_history's reason and user."""
    candidate = make_candidate()
    candidate.primary_site = "ileum"
    mark_change(candidate, reason="source document re-read", user=users["admin"])
    candidate.save()
    latest = candidate.history.latest()
    assert (latest.history_change_reason, latest.history_user) == ("source document re-read", users["admin"])
