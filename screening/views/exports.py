"""Views: exports."""

urlpatterns = []
