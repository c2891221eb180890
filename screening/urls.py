from screening.views import audit, candidates, dashboard, exports, labimport, log, monitoring, protocol, queue, signoff

app_name = "screening"

urlpatterns = [
    *queue.urlpatterns,
    *monitoring.urlpatterns,
    *candidates.urlpatterns,
    *signoff.urlpatterns,
    *log.urlpatterns,
    *exports.urlpatterns,
    *dashboard.urlpatterns,
    *protocol.urlpatterns,
    *audit.urlpatterns,
    *labimport.urlpatterns,
]
