"""The column descriptions match the columns the serializers' flattened output has."""

import pytest

from ijtech.datapackage import tables

pytestmark = pytest.mark.django_db


def test_every_table_describes_exactly_the_columns_it_writes_in_their_order():
    for table in tables():
        assert list(table.fields) == table.columns, table.name
