from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

admin.site.site_header = "NALIRIFOX Screen administration"
admin.site.site_title = "NALIRIFOX Screen"

urlpatterns = [
    path("", RedirectView.as_view(url="/candidates/", permanent=False)),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("", include("screening.urls")),
]
