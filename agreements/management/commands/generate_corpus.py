"""Fill the database with generated records, to measure the site at scale."""

import calendar
import random
import time
from decimal import Decimal
from itertools import accumulate

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Q
from django.utils.text import slugify
from taggit.models import Tag, TaggedItem

from actors.models import Actor, ActorKind, Country
from agreements.models import (
    Agreement,
    AgreementKind,
    AgreementParty,
    AgreementStatus,
    Milestone,
    MilestoneKind,
    PartyRole,
)
from ijtech import content_version, search
from ijtech.dates import DateQualifier
from ijtech.models import Citation, Disagreement, EditorialStatus, Source, SourceKind
from sectors.models import Sector

PREFIX = "gen-"
SOURCE_SLUG = "generated-source"
BATCH = 2000
MILESTONES_PER_AGREEMENT = 20
MILESTONES_PER_INSTITUTION = 50
AT_LEAST = 5
SECTORS = 20
FIRST_YEAR, LAST_YEAR = 1952, 2026
PUBLISHED = EditorialStatus.PUBLISHED
SUMMARY = ["institutions", "agreements", "milestones", "citations", "new sectors"]

# Words of technology diplomacy the titles and summaries are composed of. Each record draws
# a few, so these are common words in the generated text; the filler below adds rare ones.
SECTOR_NAMES = [
    "Semiconductors",
    "Space",
    "Clean energy",
    "Hydrogen",
    "Digital",
    "Artificial intelligence",
    "Cybersecurity",
    "Critical minerals",
    "High-speed rail",
    "Telecommunications",
    "Biotechnology",
    "Pharmaceuticals",
    "Shipbuilding",
    "Electric vehicles",
    "Batteries",
    "Quantum technology",
    "Skills",
    "Startups",
    "Infrastructure",
    "Nuclear energy",
    "Disaster risk reduction",
    "Agriculture",
    "Health",
    "Water",
]
TOPICS = [
    "supply chain",
    "research",
    "investment",
    "standards",
    "talent",
    "data",
    "manufacturing",
    "satellite",
    "lunar exploration",
    "grid",
    "ammonia",
    "fabrication",
    "testing",
    "certification",
    "innovation",
    "connectivity",
    "resilience",
    "capacity building",
    "technology transfer",
    "joint research",
]
INSTRUMENTS = [
    "dialogue",
    "memorandum",
    "framework",
    "partnership",
    "roadmap",
    "working group",
    "initiative",
    "programme",
    "fund",
    "joint statement",
    "arrangement",
    "task force",
    "exchange",
    "forum",
    "summit",
]
PLACES = [
    "Tokyo",
    "New Delhi",
    "Osaka",
    "Bengaluru",
    "Chennai",
    "Mumbai",
    "Hiroshima",
    "Ahmedabad",
    "Varanasi",
    "Kyoto",
    "Yokohama",
    "Hyderabad",
    "Pune",
    "Nagoya",
    "Fukuoka",
    "Kolkata",
    "Sendai",
    "Guwahati",
    "Kobe",
    "Sapporo",
]
VERBS = [
    "signed",
    "launched",
    "renewed",
    "expanded",
    "reviewed",
    "announced",
    "convened",
    "extended",
    "agreed",
    "proposed",
    "endorsed",
    "completed",
]
BODIES = [
    "Agency",
    "Council",
    "Institute",
    "Centre",
    "Corporation",
    "Bank",
    "University",
    "Forum",
    "Board",
    "Laboratory",
]
UNITS = ["billion JPY", "trillion JPY", "million USD", "crore INR", "billion INR"]
TAG_NAMES = [*TOPICS, *INSTRUMENTS[:8], "bilateral", "multilateral", "private sector", "pilot"]

FILLER_WORDS = 4000
# Consonant-vowel syllables, so the made-up words read as words (kamiro, tesuna).
SYLLABLES = [c + v for c in "hkmnrstyz" for v in "aeiou"]


def filler_vocabulary():
    """Made-up words with Zipf-like weights: a few turn up everywhere, most seldom.

    Drawn from a fixed seed, so every corpus shares one vocabulary whatever its --seed.
    """
    rng = random.Random(1)
    words = set()
    while len(words) < FILLER_WORDS:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    ordered = sorted(words)
    rng.shuffle(ordered)
    return ordered, list(accumulate(1 / rank**1.07 for rank in range(1, len(ordered) + 1)))


class Progress:
    """A bar on stderr redrawn in place on a terminal; a line per batch otherwise."""

    WIDTH = 30

    def __init__(self, out, total, enabled):
        self.out, self.total, self.enabled, self.done = out, total, enabled, 0
        self.tty = enabled and out.isatty()

    def advance(self, count, label):
        self.done += count
        if not self.enabled:
            return
        share = self.done / self.total
        if self.tty:
            bar = "#" * int(share * self.WIDTH)
            line = f"\r[{bar:<{self.WIDTH}}] {share:4.0%} {self.done}/{self.total} {label:<14}"
            self.out.write(line, style_func=str, ending="")
            self.out.flush()
        else:
            self.out.write(f"{label}: {self.done}/{self.total} ({share:.0%})", style_func=str)

    def close(self):
        if self.tty:
            self.out.write("", style_func=str)


def raw_delete(queryset):
    # One DELETE statement, without the per-row signals a queryset's delete() sends: those
    # would write a history row for every generated record deleted.
    return queryset._raw_delete(queryset.db)


class Command(BaseCommand):
    help = (
        "Fill the database with generated records for benchmarks: --milestones N milestones, "
        f"one agreement per {MILESTONES_PER_AGREEMENT} milestones and one institution per "
        f"{MILESTONES_PER_INSTITUTION} (at least {AT_LEAST} of each), and about {SECTORS} "
        "sectors (those already there, plus generated ones if there are fewer). Every "
        "generated record is published with one citation to a source in the database (a "
        f"generated source, '{SOURCE_SLUG}', if there is none); slugs start with "
        f"'{PREFIX}'. Written in bulk in one transaction, without django-simple-history rows: "
        "a benchmark database needs no history. Refuses a database that holds real records."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--milestones", type=int, required=True, help="How many milestones (1 or more)."
        )
        parser.add_argument(
            "--seed", type=int, default=0, help="Seed of the generator: same seed, same corpus."
        )
        parser.add_argument(
            "--clear",
            action="store_true",
            help=f"First delete the records an earlier run generated ('{PREFIX}' slugs).",
        )
        parser.add_argument(
            "--allow-real-records",
            action="store_true",
            help=f"Run even on a database that holds agreements, milestones or institutions "
            f"whose slugs do not start with '{PREFIX}'.",
        )

    def handle(self, *args, milestones, seed, clear, allow_real_records, verbosity, **options):
        if milestones < 1:
            raise CommandError("--milestones must be 1 or more.")
        self.started = time.monotonic()
        self.verbosity = verbosity
        self.rng = random.Random(seed)
        self.filler, self.filler_weights = filler_vocabulary()
        self.counts = {}
        plan = {
            "institutions": max(AT_LEAST, milestones // MILESTONES_PER_INSTITUTION),
            "agreements": max(AT_LEAST, milestones // MILESTONES_PER_AGREEMENT),
            "milestones": milestones,
        }
        with transaction.atomic():
            self.refuse_unless_allowed(allow_real_records)
            if clear:
                self.clear()
            elif self.generated_exist():
                raise CommandError(
                    f"The database already holds generated records ('{PREFIX}' slugs). Pass "
                    "--clear to replace them."
                )
            self.progress = Progress(self.stderr, sum(plan.values()), verbosity > 0)
            self.sectors = self.ensure_sectors()
            self.sources = self.ensure_sources()
            self.tags = self.ensure_tags()
            self.actors = self.generate_actors(plan["institutions"])
            self.agreements = self.generate_agreements(plan["agreements"])
            self.generate_milestones(plan["milestones"])
            self.progress.close()
            # Bulk writes send no signals, so the search index is rebuilt once, in the same
            # transaction: the generated records are searchable the moment they are visible.
            indexing = Progress(self.stderr, self.public_records(), verbosity > 0)
            search.rebuild(progress=lambda n: indexing.advance(n, "search index"))
            indexing.close()
            content_version.bump()
        # Fresh planner statistics: without them SQLite picks nested scans over the
        # hundred-thousand-row link tables and a list page takes minutes, not seconds.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.finish()

    def public_records(self) -> int:
        return sum(m.search_queryset().count() for m in search.searchable_models().values())

    # --- Safety ----------------------------------------------------------------------------

    def refuse_unless_allowed(self, allow_real_records):
        real = []
        for model in (Agreement, Milestone, Actor):
            count = model.objects.exclude(slug__startswith=PREFIX).count()
            if count:
                real.append(f"{count} {model._meta.verbose_name_plural}")
        if real and not allow_real_records:
            raise CommandError(
                f"This database holds real records ({', '.join(real)} whose slugs do not "
                f"start with '{PREFIX}'); generated records would mix with them. Generate "
                "into a database of its own (DATABASE_URL=sqlite:////tmp/ijtech-100k.sqlite3), "
                "or pass --allow-real-records. Nothing was written."
            )

    def generated_exist(self):
        return any(
            model.objects.filter(slug__startswith=PREFIX).exists()
            for model in (Agreement, Milestone, Actor)
        )

    def clear(self):
        """Delete generated records and what hangs off them; real records keep their links."""
        milestones = Milestone.objects.filter(slug__startswith=PREFIX)
        agreements = Agreement.objects.filter(slug__startswith=PREFIX)
        actors = Actor.objects.filter(slug__startswith=PREFIX)
        for records in (milestones, agreements, actors):
            ids = records.values("pk")
            content_type = ContentType.objects.get_for_model(records.model)
            for model in (Citation, Disagreement, TaggedItem):
                raw_delete(model.objects.filter(content_type=content_type, object_id__in=ids))
        raw_delete(
            Milestone.actors.through.objects.filter(
                Q(milestone__in=milestones) | Q(actor__in=actors)
            )
        )
        raw_delete(Milestone.sectors.through.objects.filter(milestone__in=milestones))
        raw_delete(Agreement.sectors.through.objects.filter(agreement__in=agreements))
        raw_delete(Actor.sectors.through.objects.filter(actor__in=actors))
        raw_delete(AgreementParty.objects.filter(Q(agreement__in=agreements) | Q(actor__in=actors)))
        for through in (Agreement.builds_on.through, Agreement.supersedes.through):
            raw_delete(
                through.objects.filter(
                    Q(from_agreement__in=agreements) | Q(to_agreement__in=agreements)
                )
            )
        real_milestones = Milestone.objects.exclude(slug__startswith=PREFIX)
        real_milestones.filter(agreement__in=agreements).update(agreement=None)
        real_milestones.filter(occasion__in=milestones).update(occasion=None)
        Actor.objects.exclude(slug__startswith=PREFIX).filter(parent__in=actors).update(parent=None)
        deleted = {
            "milestones": raw_delete(milestones),
            "agreements": raw_delete(agreements),
            "institutions": raw_delete(actors),
        }
        # Generated sectors, tags and the generated source go too, unless a real record
        # still uses them.
        used_sectors = [
            through.objects.values("sector_id")
            for through in (
                Milestone.sectors.through,
                Agreement.sectors.through,
                Actor.sectors.through,
            )
        ]
        sectors = Sector.objects.filter(slug__startswith=PREFIX, children=None)
        for used in used_sectors:
            sectors = sectors.exclude(pk__in=used)
        raw_delete(Sector.objects.filter(pk__in=list(sectors.values_list("pk", flat=True))))
        raw_delete(
            Tag.objects.filter(slug__startswith=PREFIX).exclude(
                pk__in=TaggedItem.objects.values("tag_id")
            )
        )
        raw_delete(
            Source.objects.filter(slug=SOURCE_SLUG).exclude(
                pk__in=Citation.objects.values("source_id")
            )
        )
        if self.verbosity > 0:
            self.stdout.write(
                "Cleared " + ", ".join(f"{n} generated {kind}" for kind, n in deleted.items())
            )

    # --- Reference rows ----------------------------------------------------------------------

    def ensure_sectors(self):
        sectors = list(Sector.objects.order_by("pk"))
        taken = {sector.name.casefold() for sector in sectors}
        missing = [name for name in SECTOR_NAMES if name.casefold() not in taken]
        new = [
            Sector(
                name=name,
                slug=PREFIX + slugify(name),
                description="A generated sector for benchmarks.",
                order=100 + i,
            )
            for i, name in enumerate(missing[: max(0, SECTORS - len(sectors))])
        ]
        self.counts["new sectors"] = len(Sector.objects.bulk_create(new))
        return sectors + new

    def ensure_sources(self):
        sources = list(Source.objects.order_by("pk"))
        if sources:
            return sources
        return Source.objects.bulk_create(
            [
                Source(
                    slug=SOURCE_SLUG,
                    title="Generated source for benchmarks",
                    kind=SourceKind.REPORT,
                    note="Not a real document: generated records cite it so that they can be "
                    "published.",
                )
            ]
        )

    def ensure_tags(self):
        existing = {tag.name.casefold(): tag for tag in Tag.objects.all()}
        new = [
            Tag(name=name, slug=PREFIX + slugify(name))
            for name in TAG_NAMES
            if name.casefold() not in existing
        ]
        Tag.objects.bulk_create(new)
        return [
            existing.get(name.casefold()) for name in TAG_NAMES if name.casefold() in existing
        ] + new

    # --- Text and dates ------------------------------------------------------------------------

    def words(self, low, high):
        return " ".join(
            self.rng.choices(
                self.filler, cum_weights=self.filler_weights, k=self.rng.randint(low, high)
            )
        )

    def summary(self, subject, place, instrument):
        verb = self.rng.choice(VERBS)
        return (
            f"Generated text for benchmarks, not a record of fact. In this entry {place} "
            f"{verb} a {instrument} on {subject} {self.words(3, 10)}. "
            f"{self.words(6, 20).capitalize()}."
        )

    def partial_date(self):
        rng = self.rng
        # The square root leans toward recent years: three in four fall after 1989.
        year = FIRST_YEAR + int((LAST_YEAR - FIRST_YEAR + 1) * rng.random() ** 0.5)
        date = {"year": year, "date_qualifier": DateQualifier.EXACT}
        draw = rng.random()
        if draw < 0.03 and year >= 1960:
            date.update(year=year // 10 * 10, date_qualifier=DateQualifier.DECADE)
        elif draw < 0.08:
            date["date_qualifier"] = DateQualifier.CIRCA
        elif draw < 0.10 and year < LAST_YEAR:
            end = min(year + rng.randint(1, 3), LAST_YEAR)
            date.update(date_qualifier=DateQualifier.SPAN, year_end=end)
        elif draw < 0.70:
            date["month"] = rng.randint(1, 12)
            if draw >= 0.40:
                date["day"] = rng.randint(1, calendar.monthrange(year, date["month"])[1])
        return date

    def subject(self, sectors):
        return f"{sectors[0].name.lower()} {self.rng.choice(TOPICS)}"

    def cite(self, model, records):
        content_type = ContentType.objects.get_for_model(model)
        self.counts["citations"] = self.counts.get("citations", 0) + len(records)
        Citation.objects.bulk_create(
            Citation(
                content_type=content_type,
                object_id=record.pk,
                source=self.rng.choice(self.sources),
                locator=f"Generated section {self.rng.randint(1, 40)}",
            )
            for record in records
        )

    # --- Records -------------------------------------------------------------------------------

    def batches(self, total):
        for start in range(1, total + 1, BATCH):
            yield range(start, min(start + BATCH, total + 1))

    def generate_actors(self, total):
        rng, created = self.rng, []
        for numbers in self.batches(total):
            actors, sector_sets = [], []
            for i in numbers:
                sectors = rng.sample(self.sectors, rng.randint(1, 2))
                place, topic = rng.choice(PLACES), rng.choice(TOPICS)
                actors.append(
                    Actor(
                        name=f"Generated institution {i}: {place} {topic.title()} "
                        f"{rng.choice(BODIES)}",
                        acronym=f"GI{i}",
                        slug=f"{PREFIX}institution-{i}",
                        country=rng.choice(Country.values),
                        kind=rng.choice(ActorKind.values),
                        description=self.summary(self.subject(sectors), place, "programme"),
                        editorial_status=PUBLISHED,
                    )
                )
                sector_sets.append(sectors)
            Actor.objects.bulk_create(actors)
            Actor.sectors.through.objects.bulk_create(
                Actor.sectors.through(actor_id=actor.pk, sector_id=sector.pk)
                for actor, sectors in zip(actors, sector_sets, strict=True)
                for sector in sectors
            )
            self.cite(Actor, actors)
            created += actors
            self.progress.advance(len(actors), "institutions")
        self.counts["institutions"] = len(created)
        return created

    def generate_agreements(self, total):
        rng, created = self.rng, []
        agreement_type = ContentType.objects.get_for_model(Agreement)
        for numbers in self.batches(total):
            agreements, links = [], []
            for i in numbers:
                sectors = rng.sample(self.sectors, rng.randint(1, 2))
                place, instrument = rng.choice(PLACES), rng.choice(INSTRUMENTS)
                subject = self.subject(sectors)
                date = self.partial_date()
                agreements.append(
                    Agreement(
                        title=f"Generated agreement {i}: {place} {subject} {instrument}",
                        slug=f"{PREFIX}{date['year']}-agreement-{i}",
                        kind=rng.choice(AgreementKind.values),
                        status=rng.choice(AgreementStatus.values),
                        summary=self.summary(subject, place, instrument),
                        editorial_status=PUBLISHED,
                        **date,
                    )
                )
                parties = rng.sample(self.actors, rng.randint(2, 3))
                roles = [PartyRole.SIGNATORY, *rng.choices(PartyRole.values, k=len(parties) - 1)]
                links.append(
                    (
                        sectors,
                        list(zip(parties, roles, strict=True)),
                        rng.sample(self.tags, rng.randint(2, 4)),
                    )
                )
            Agreement.objects.bulk_create(agreements)
            pairs = list(zip(agreements, links, strict=True))
            Agreement.sectors.through.objects.bulk_create(
                Agreement.sectors.through(agreement_id=agreement.pk, sector_id=sector.pk)
                for agreement, (sectors, _, _) in pairs
                for sector in sectors
            )
            AgreementParty.objects.bulk_create(
                AgreementParty(agreement_id=agreement.pk, actor_id=actor.pk, role=role)
                for agreement, (_, parties, _) in pairs
                for actor, role in parties
            )
            TaggedItem.objects.bulk_create(
                TaggedItem(content_type=agreement_type, object_id=agreement.pk, tag_id=tag.pk)
                for agreement, (_, _, tags) in pairs
                for tag in tags
            )
            self.cite(Agreement, agreements)
            created += agreements
            self.progress.advance(len(agreements), "agreements")
        self.counts["agreements"] = len(created)
        return created

    def pledge(self, year):
        rng = self.rng
        fields = {
            "amount": Decimal(rng.randint(1, 50000)) / 10,
            "unit": rng.choice(UNITS),
        }
        draw = rng.random()
        if draw < 0.6:
            fields["deadline_year"] = year + rng.randint(1, 10)
            fields["deadline_text"] = f"by {fields['deadline_year']}"
        elif draw < 0.8:
            fields.update(
                deadline_year=year + 5,
                deadline_text="over the next five years",
                deadline_derived=True,
            )
        return fields

    def generate_milestones(self, total):
        rng, count = self.rng, 0
        kinds = MilestoneKind.values
        for numbers in self.batches(total):
            milestones, links = [], []
            for i in numbers:
                sectors = rng.sample(self.sectors, rng.randint(1, 3))
                actors = rng.sample(self.actors, rng.randint(1, 3))
                place, instrument = rng.choice(PLACES), rng.choice(INSTRUMENTS)
                subject = self.subject(sectors)
                date = self.partial_date()
                kind = rng.choice(kinds)
                extra = self.pledge(date["year"]) if kind == MilestoneKind.PLEDGE else {}
                milestones.append(
                    Milestone(
                        title=f"Generated milestone {i}: {subject} {instrument}"
                        + (f" in {place}" if rng.random() < 0.5 else ""),
                        slug=f"{PREFIX}{date['year']}-milestone-{i}",
                        kind=kind,
                        summary=self.summary(subject, place, instrument),
                        agreement=rng.choice(self.agreements) if rng.random() < 0.8 else None,
                        editorial_status=PUBLISHED,
                        **date,
                        **extra,
                    )
                )
                links.append((sectors, actors))
            Milestone.objects.bulk_create(milestones)
            pairs = list(zip(milestones, links, strict=True))
            Milestone.sectors.through.objects.bulk_create(
                Milestone.sectors.through(milestone_id=milestone.pk, sector_id=sector.pk)
                for milestone, (sectors, _) in pairs
                for sector in sectors
            )
            Milestone.actors.through.objects.bulk_create(
                Milestone.actors.through(milestone_id=milestone.pk, actor_id=actor.pk)
                for milestone, (_, actors) in pairs
                for actor in actors
            )
            self.cite(Milestone, milestones)
            count += len(milestones)
            self.progress.advance(len(milestones), "milestones")
        self.counts["milestones"] = count

    def finish(self):
        """Runs once the generated records are committed."""
        if self.verbosity > 0:
            counts = ", ".join(
                f"{self.counts[kind]} {kind}" for kind in SUMMARY if kind in self.counts
            )
            elapsed = time.monotonic() - self.started
            self.stdout.write(f"Generated {counts} in {elapsed:.1f} s.")
