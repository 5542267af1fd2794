"""The two editorial roles, kept as groups so an administrator only has to add people.

Reviewed records are the installed models built on `Editorial`: editors create and change
them, reviewers also publish and delete them. Supporting rows (sources, citations, reference
data, rows edited inline) are edited by both roles alike; a model says it is one with
`editor_edits = True`. Taggit's models cannot say so themselves, so they are named here.
"""

from django.apps import apps
from django.contrib.auth.models import Group, Permission

EDITORS = "Editors"
REVIEWERS = "Reviewers"

TAGGIT_SUPPORTING_MODELS = ["taggit.tag", "taggit.taggeditem"]


def reviewed_models() -> list:
    from ijtech.models import editorial_models

    return editorial_models()


def supporting_models() -> list:
    marked = [m for m in apps.get_models() if getattr(m, "editor_edits", False)]
    return marked + [apps.get_model(label) for label in TAGGIT_SUPPORTING_MODELS]


def _perms(models, actions) -> set[tuple[str, str]]:
    return {
        (model._meta.app_label, f"{action}_{model._meta.model_name}")
        for model in models
        for action in actions
    }


def editor_permissions() -> set[tuple[str, str]]:
    """(app label, codename) of every permission the Editors group holds."""
    return _perms(reviewed_models(), ["add", "change", "view"]) | _perms(
        supporting_models(), ["add", "change", "delete", "view"]
    )


def reviewer_permissions() -> set[tuple[str, str]]:
    return editor_permissions() | _perms(reviewed_models(), ["delete", "publish"])


def ensure_roles() -> dict[str, Group]:
    """Create or update the Editors and Reviewers groups; safe to run any number of times."""
    groups = {}
    for name, wanted in (
        (EDITORS, editor_permissions()),
        (REVIEWERS, reviewer_permissions()),
    ):
        group, _ = Group.objects.get_or_create(name=name)
        perms = [
            p
            for p in Permission.objects.select_related("content_type")
            if (p.content_type.app_label, p.codename) in wanted
        ]
        missing = wanted - {(p.content_type.app_label, p.codename) for p in perms}
        if missing:
            raise RuntimeError(f"Permissions missing for role {name}: {sorted(missing)}")
        group.permissions.set(perms)
        groups[name] = group
    return groups


def can_publish(user, model) -> bool:
    return user.has_perm(f"{model._meta.app_label}.publish_{model._meta.model_name}")
