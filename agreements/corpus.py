"""
The agreements and milestones in the corpus (fixtures/agreements.json, milestones.json).

Besides the editorial rules of every record, a milestone's deadline must be carried by a
quote: a deadline year that no quote gives must be marked as derived, with the source's
own words for the deadline (e.g. "over the next decade").
"""

from simple_history.utils import bulk_create_with_history

from agreements.models import Agreement, AgreementParty, Milestone, PartyRole
from ijtech.corpus import DATE_KEYS, Nested, register
from ijtech.corpus_citations import EditorialCodec
from ijtech.corpus_rules import check_exact_date, check_see_note, check_span
from ijtech.review import CORPUS_LOAD


def party_order(party):
    """Signatories first, then implementers and funders, each by slug."""
    roles = PartyRole.values
    role = str(party["role"])
    return (roles.index(role) if role in roles else len(roles), role, str(party["actor"]))


class Parties(Nested):
    model = AgreementParty
    keys = ["actor", "role"]

    def canonical(self, items: list[dict]) -> list[dict]:
        return sorted(items, key=party_order)

    def prefetches(self) -> list:
        return ["party_links__actor"]

    def serialize(self, obj) -> list[dict]:
        return self.canonical(
            [{"actor": p.actor.slug, "role": p.role} for p in obj.party_links.all()]
        )


@register
class AgreementCodec(EditorialCodec):
    kind = "agreements"
    model = Agreement
    keys = [
        "slug",
        "title",
        "kind",
        "status",
        *DATE_KEYS,
        "parties",
        "sectors",
        "tags",
        "builds_on",
        "supersedes",
        "summary",
        "editorial_status",
        "citations",
        "disagreements",
    ]
    nested = {**EditorialCodec.nested, "parties": Parties()}
    not_itself = {
        "builds_on": "cannot name the agreement itself",
        "supersedes": "cannot name the agreement itself",
    }
    summary_key = "summary"
    # Agreements get the span rule once their spans can be stored as spans.
    rules = (check_see_note, check_exact_date)

    def validate(self, validator, record: dict) -> None:
        slug = record["slug"]
        seen = set()
        for i, party in enumerate(record["parties"]):
            validator.check_refs(self.kind, slug, f"parties[{i}].actor", party["actor"], "actors")
            if (party["actor"], party["role"]) in seen:
                validator.error(
                    self.kind,
                    slug,
                    f"parties[{i}]",
                    f"names {party['actor']} as {party['role']} twice",
                )
            seen.add((party["actor"], party["role"]))
            if party["role"] not in PartyRole.values:
                validator.error(
                    self.kind, slug, f"parties[{i}].role", f"is not a role: {party['role']!r}"
                )
        super().validate(validator, record)

    def write(self, obj, record: dict, ids: dict[str, dict[str, int]]) -> None:
        obj.party_links.all().delete()
        bulk_create_with_history(
            [
                AgreementParty(agreement=obj, actor_id=ids["actors"][p["actor"]], role=p["role"])
                for p in record["parties"]
            ],
            AgreementParty,
            default_change_reason=CORPUS_LOAD,
        )
        super().write(obj, record, ids)


def check_deadline(validator, codec, record) -> None:
    deadline = record.get("deadline_year")
    if deadline is None:
        return
    if any(str(deadline) in (c.get("quote") or "") for c in record.get("citations") or []):
        return
    if record.get("deadline_derived") and record.get("deadline_text"):
        return
    validator.error(
        codec.kind,
        record["slug"],
        "deadline_year",
        f"no quote gives the year {deadline}: mark the deadline as derived "
        "(deadline_derived) and give the source's words for it in deadline_text",
    )


@register
class MilestoneCodec(EditorialCodec):
    kind = "milestones"
    model = Milestone
    keys = [
        "slug",
        "title",
        "kind",
        *DATE_KEYS,
        "agreement",
        "occasion",
        "actors",
        "sectors",
        "tags",
        "amount",
        "unit",
        "deadline_year",
        "deadline_text",
        "deadline_derived",
        "delivery_note",
        "summary",
        "editorial_status",
        "citations",
        "disagreements",
    ]
    not_itself = {"occasion": "cannot be the milestone itself"}
    summary_key = "summary"
    rules = (check_deadline, check_see_note, check_exact_date, check_span)

    def date_carried_by(self, validator, record: dict) -> dict | None:
        """A forum recommendation or summit outcome takes its date from its occasion."""
        occasions = {r["slug"]: r for r in validator.records[self.kind]}
        return occasions.get(record["occasion"])
