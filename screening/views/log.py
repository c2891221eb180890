"""Views: log."""

urlpatterns = []
