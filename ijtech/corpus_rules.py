"""
Editorial rules of the corpus, checked on every load after each record has passed its
model's own validation. Each rule guards against a way a record can claim more than its
sources say:

- A deadline year that no quote gives must be marked as derived, with the source's own
  words for the deadline (e.g. "over the next decade").
- A citation marked as supporting "something else (see note)" must have that note, unless
  it backs one version of a disagreement (its position then says what it supports). A
  position that says "see note" needs the note too, and a summary that sends the reader
  to "the disagreement" needs one.
- A date given as stated ("exact") must be carried by a quote: at least one citation's
  quote must contain the record's year. Any citation may carry it, since a record's
  amount quote often holds its year too; a milestone with an occasion of the same year
  (a forum recommendation, a summit outcome) takes its date from the occasion.
  Approximate dates, decades and spans are exempt: their notes explain where the year
  comes from.
- A date-supporting quote (or, for a record with none, any quote) that gives a span such
  as "1990-91", "FY2023-2024" or "2020-2022" beginning or ending in the record's year,
  where that year does not also stand alone in the quote, means the record is a span and
  cannot be stored as exact.
"""

import re

from ijtech.dates import MAX_SPAN_YEARS

DATE_SUPPORTS = {"date", "record"}
# Every kind of record with citations must explain an "other" citation in a note.
SEE_NOTE_KINDS = {"actors", "agreements", "milestones"}
SEE_NOTE = re.compile(r"\bsee (the )?note\b", re.IGNORECASE)
SEE_DISAGREEMENT = re.compile(r"\bsee the disagreement\b", re.IGNORECASE)
# "1990-91", "2023–24", "FY2023-2024", "2025- 26": a first year, a dash, a last year.
SPAN = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*[-–]\s*((?:19|20)\d\d|\d\d)(?!\d)")


def spans(text: str) -> list[tuple[int, int, tuple[int, int]]]:
    found = []
    for match in SPAN.finditer(text):
        first, last = int(match.group(1)), match.group(2)
        end = int(last) if len(last) == 4 else first - first % 100 + int(last)
        if len(last) == 2 and end < first:
            end += 100
        # A longer run, like FDI inflows over 2000-2023, is a period, not a span date.
        if first < end <= first + MAX_SPAN_YEARS:
            found.append((first, end, match.span()))
    return found


def stands_alone(year: int, text: str, taken: list[tuple[int, int]]) -> bool:
    for match in re.finditer(rf"(?<!\d){year}(?!\d)", text):
        if not any(start <= match.start() < stop for start, stop in taken):
            return True
    return False


def check_deadline(validator, kind, record) -> None:
    deadline = record.get("deadline_year")
    if deadline is None:
        return
    if any(str(deadline) in (c.get("quote") or "") for c in record.get("citations") or []):
        return
    if record.get("deadline_derived") and record.get("deadline_text"):
        return
    validator.error(
        kind,
        record["slug"],
        "deadline_year",
        f"no quote gives the year {deadline}: mark the deadline as derived "
        "(deadline_derived) and give the source's words for it in deadline_text",
    )


def check_see_note(validator, kind, record) -> None:
    summary = record.get("summary") or ""
    if SEE_DISAGREEMENT.search(summary) and not record.get("disagreements"):
        validator.error(
            kind, record["slug"], "summary", "sends the reader to a disagreement it lacks"
        )
    if kind not in SEE_NOTE_KINDS:
        return
    for i, cite in enumerate(record.get("citations") or []):
        if (cite.get("note") or "").strip():
            continue
        if cite.get("supports") == "other" and not cite.get("disputes"):
            validator.error(
                kind,
                record["slug"],
                f"citations[{i}].note",
                "a citation that supports 'something else (see note)' must say in its note "
                "what it supports",
            )
        elif SEE_NOTE.search(cite.get("position") or ""):
            validator.error(
                kind,
                record["slug"],
                f"citations[{i}].note",
                "the position says 'see note', but the note is empty",
            )


def occasions(validator) -> dict[str, dict]:
    return {r["slug"]: r for r in validator.records.get("milestones", [])}


def check_exact_date(validator, kind, record) -> None:
    if record.get("date_qualifier") != "exact" or not record.get("year"):
        return
    year = str(record["year"])
    quotes = [c.get("quote") or "" for c in record.get("citations") or []]
    if any(re.search(rf"(?<!\d){year}(?!\d)", q) for q in quotes):
        return
    # A forum recommendation or summit outcome takes its date from its occasion.
    occasion = occasions(validator).get(record.get("occasion"))
    if occasion and occasion.get("year") == record["year"]:
        return
    validator.error(
        kind,
        record["slug"],
        "date_qualifier",
        f"the date is given as stated, but no quote contains the year {year}: quote the "
        "words that give it, or make the date approximate and say in a note where it "
        "comes from",
    )


def check_span(validator, kind, record) -> None:
    if record.get("date_qualifier") != "exact" or not record.get("year"):
        return
    year = record["year"]
    citations = list(enumerate(record.get("citations") or []))
    # Without a date-supporting citation the date rests on whatever quotes there are.
    dated = [(i, c) for i, c in citations if c.get("supports") in DATE_SUPPORTS] or citations
    for i, cite in dated:
        quote = cite.get("quote") or ""
        found = spans(quote)
        taken = [where for _, _, where in found]
        for first, last, _ in found:
            if year in (first, last) and not stands_alone(year, quote, taken):
                validator.error(
                    kind,
                    record["slug"],
                    f"citations[{i}].quote",
                    f"gives the span {first}-{last}, but the record's date is stored as an "
                    f"exact {year}: store it as a span",
                )
                return


RULES = {
    "actors": [check_see_note],
    # Agreements get the span rule once their spans can be stored as spans.
    "agreements": [check_see_note, check_exact_date],
    "milestones": [check_deadline, check_see_note, check_exact_date, check_span],
}


def check(validator) -> None:
    """Add an error to `validator` for every record that breaks a rule."""
    for kind, rules in RULES.items():
        for record in validator.records.get(kind, []):
            # Records of the wrong shape already have their messages; the rules read the rest.
            if (kind, record.get("slug")) in validator.broken or not isinstance(
                record.get("citations"), list
            ):
                continue
            for rule in rules:
                rule(validator, kind, record)
