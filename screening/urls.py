from screening.views import audit, candidates, dashboard, exports, labimport, log, protocol, signoff

app_name = "screening"

urlpatterns = [
    *candidates.urlpatterns,
    *signoff.urlpatterns,
    *log.urlpatterns,
    *exports.urlpatterns,
    *dashboard.urlpatterns,
    *protocol.urlpatterns,
    *audit.urlpatterns,
    *labimport.urlpatterns,
]
