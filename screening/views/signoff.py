"""Views: signoff."""

urlpatterns = []
