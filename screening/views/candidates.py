"""Views: candidates."""

urlpatterns = []
