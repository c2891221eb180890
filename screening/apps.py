from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    default_auto_field = 'django.db.models.BigAutoField'
    name = 'screening'

    def ready(self):
        from screening import append_only

        append_only.register()
