"""The descriptions of the columns the exports share: identifiers, addresses, the tail every
published record ends with, and the citations files."""

from ijtech.exports import Column, Export, values
from ijtech.models import CitationSupports, DisagreementAspect

SLUG_FIELD = Column(
    "The record's identifier, unique within its file and part of its address.", required=True
)
URL_FIELD = Column("The record's page on ijtech.", format="uri", required=True)
API_URL_FIELD = Column("The record's entry in ijtech's JSON API.", format="uri", required=True)

# The columns every published record's row ends with (the API's RECORD_TAIL, flattened).
RECORD_TAIL_FIELDS = {
    "alternative_names": Column(
        "The other names the sources give the record, when they disagree on its name.",
        many=True,
    ),
    "disputed": Column("true when the sources disagree on something about the record.", "boolean"),
    "sources": Column(
        "The sources the record's citations rest on, by slug, in citation order.",
        many=True,
        names="sources.slug",
    ),
    "citation_count": Column("How many citations support the record.", "integer", minimum=0),
    "disagreements": Column(
        "What the sources disagree on, by aspect: "
        + ", ".join(values(DisagreementAspect))
        + ". Each version, with its citation, is in the JSON export and the citations file.",
        many=True,
    ),
}


def citation_fields(spec: Export) -> dict[str, Column]:
    """The columns of the citations file of `spec`'s records."""
    record_type = spec.queryset().model._meta.model_name
    return {
        "record_type": Column(
            "The kind of record cited; with record_slug it names the record.",
            enum=(record_type,),
            required=True,
        ),
        "record_slug": Column(
            f"The cited record, by slug (a row of {spec.name}.csv).",
            references=f"{spec.name}.{spec.primary_key}",
            required=True,
        ),
        "source": Column("The source cited, by slug.", references="sources.slug", required=True),
        "locator": Column(
            "The section or chapter heading of the source where the fact stands.",
            required=True,
        ),
        "quote": Column("The source's own words, verbatim and short; empty if none."),
        "supports": Column(
            "What of the record the citation supports.",
            enum=values(CitationSupports),
            required=True,
        ),
        "disagreement": Column(
            "When the citation gives one version of a disputed point, the aspect disputed "
            "(as in the record's disagreements column); empty otherwise.",
            enum=values(DisagreementAspect),
        ),
        "position": Column(
            "What this source says on the disputed point; empty unless disagreement is set."
        ),
        "note": Column("What ijtech notes about the citation."),
    }
