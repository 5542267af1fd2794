from decimal import Decimal

import pytest

from ijtech.templatetags.ijtech_tags import amount


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("10.000"), "10"),
        (Decimal("500000.000"), "500,000"),
        (Decimal("1.500"), "1.5"),
        (Decimal("0.000"), "0"),
        (None, ""),
    ],
)
def test_an_amount_is_shown_as_the_sources_write_it(value, shown):
    assert amount(value) == shown
