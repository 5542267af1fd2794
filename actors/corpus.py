"""The institutions in the corpus (fixtures/actors.json)."""

from actors.models import Actor
from ijtech.corpus import register
from ijtech.corpus_citations import EditorialCodec


@register
class ActorCodec(EditorialCodec):
    kind = "actors"
    model = Actor
    keys = [
        "slug",
        "name",
        "acronym",
        "country",
        "kind",
        "parent",
        "website",
        "sectors",
        "description",
        "editorial_status",
        "citations",
        "disagreements",
    ]
    not_itself = {"parent": "cannot be the record itself"}

    def validate_all(self, validator) -> None:
        # Institutions nest as deep as they do in government; only a cycle is refused.
        validator.check_cycles(self, "parent")
