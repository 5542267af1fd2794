from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


def _create_roles(sender, using="default", **kwargs):
    from django.contrib.auth.management import create_permissions

    from ijtech.roles import ensure_roles

    # post_migrate reaches apps one by one; make sure every app's permissions exist
    # before the groups are filled in, whatever order the apps are listed in.
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    ensure_roles()


class IjtechConfig(AppConfig):
    name = "ijtech"
    verbose_name = "Sources and citations"

    def ready(self):
        # review: its signals fill each version's relations.
        from ijtech import content_version, review, search  # noqa: F401

        post_migrate.connect(_create_roles, sender=self, dispatch_uid="ijtech_create_roles")
        # Sent once per app; the last app's signal finds every app's tables migrated.
        post_migrate.connect(search.build_if_empty, dispatch_uid="ijtech_build_search_index")
        search.connect_signals()
        content_version.connect_signals()
