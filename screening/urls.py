from screening.views import candidates, dashboard, exports, labimport, log, protocol, signoff

app_name = "screening"

urlpatterns = [
    *candidates.urlpatterns,
    *signoff.urlpatterns,
    *log.urlpatterns,
    *exports.urlpatterns,
    *dashboard.urlpatterns,
    *protocol.urlpatterns,
    *labimport.urlpatterns,
]
