"""What citations refuse: long quotes, positions without a disagreement."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from ijtech.models import Citation
from tests.factories import DRAFT, add_agreement, cite

pytestmark = pytest.mark.django_db


class TestConstraints:
    def test_a_quote_is_at_most_25_words(self, source):
        agreement = add_agreement(editorial=DRAFT)
        citation = Citation(target=agreement, source=source, locator="Ch. 1", quote="word " * 26)
        with pytest.raises(ValidationError, match="at most 25 words; this one has 26"):
            citation.full_clean()
        citation.quote = "word " * 25
        citation.full_clean()

    def test_a_position_needs_a_disagreement(self, source):
        agreement = add_agreement(editorial=DRAFT)
        with pytest.raises(IntegrityError), transaction.atomic():
            cite(agreement, source, position="an MoU")
