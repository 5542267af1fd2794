"""The two editorial roles, kept as groups so an administrator only has to add people."""

from django.contrib.auth.models import Group, Permission

EDITORS = "Editors"
REVIEWERS = "Reviewers"

# Records that go through review: editors create and change them, reviewers publish.
REVIEWED_MODELS = {"actors": ["actor"], "agreements": ["agreement", "milestone"]}
# Supporting rows edited inline or as reference data.
SUPPORTING_MODELS = {
    "ijtech": ["citation", "disagreement", "source"],
    "agreements": ["agreementparty"],
    "sectors": ["sector"],
    "taggit": ["tag", "taggeditem"],
}


def _perms(app_models: dict[str, list[str]], actions: list[str]) -> list[str]:
    return [
        f"{app}.{action}_{model}"
        for app, models in app_models.items()
        for model in models
        for action in actions
    ]


EDITOR_PERMISSIONS = _perms(REVIEWED_MODELS, ["add", "change", "view"]) + _perms(
    SUPPORTING_MODELS, ["add", "change", "delete", "view"]
)
REVIEWER_PERMISSIONS = (
    EDITOR_PERMISSIONS
    + _perms(REVIEWED_MODELS, ["delete"])
    + [f"{app}.publish_{model}" for app, models in REVIEWED_MODELS.items() for model in models]
)


def ensure_roles() -> dict[str, Group]:
    """Create or update the Editors and Reviewers groups; safe to run any number of times."""
    groups = {}
    for name, codenames in ((EDITORS, EDITOR_PERMISSIONS), (REVIEWERS, REVIEWER_PERMISSIONS)):
        group, _ = Group.objects.get_or_create(name=name)
        wanted = set()
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            wanted.add((app_label, codename))
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
