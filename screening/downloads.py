"""A file the application hands out (an export) as an HTTP attachment: the exports page and the admin's actions."""

from django.http import HttpResponse, StreamingHttpResponse


def attachment(export_file):
    response_class = StreamingHttpResponse if not isinstance(export_file.content, bytes) else HttpResponse
    response = response_class(export_file.content, content_type=export_file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export_file.filename}"'
    response["X-Export-Rows"] = str(export_file.rows)
    return response
