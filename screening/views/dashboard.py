"""Views: dashboard."""

urlpatterns = []
