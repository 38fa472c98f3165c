from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API and webhooks"

    def ready(self):
        from accounts import events
        from api import webhooks

        # The workflows announce what happened; webhooks hear it, once committed.
        events.happened.connect(webhooks.heard, dispatch_uid="api.webhooks.heard")
