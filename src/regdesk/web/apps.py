from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "regdesk.web"
    label = "web"

    def ready(self) -> None:
        from django_tasks.signals import task_finished

        from regdesk.web import access_log, checks  # noqa: F401 - registers the deployment checks

        task_finished.connect(access_log.log_task_finished, dispatch_uid="regdesk.web.access_log")
