"""What the sector model refuses."""

import pytest
from django.core.exceptions import ValidationError

from sectors.models import Sector

pytestmark = pytest.mark.django_db


class TestConstraints:
    def test_sectors_nest_only_one_level(self):
        top = Sector.objects.create(name="Energy", slug="energy")
        child = Sector.objects.create(name="Hydrogen", slug="hydrogen", parent=top)
        grandchild = Sector(name="Green", slug="green", parent=child)
        with pytest.raises(ValidationError, match="one level deep"):
            grandchild.full_clean()
