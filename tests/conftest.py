"""Fixtures for the whole suite.

A transactional test (browser tests, concurrency tests) ends with a flush of the whole
database, which also empties what the data migrations loaded (obce, code lists); the
fixture below loads them again, so the next test starts from a migrated database.
"""

from __future__ import annotations

import pytest


def load_reference_data() -> None:
    """What the data migrations load: obce and code lists (both loaders are idempotent)."""
    from django.core.cache import cache

    from catalog.codes import reset_code_lists
    from catalog.loading import load_codelists
    from directory.search import reset_thesaurus
    from territory.loading import load_municipalities

    load_municipalities()
    load_codelists()
    reset_thesaurus()  # the search keeps the thesaurus in memory; ids change after a flush
    cache.clear()  # the portal caches each territory's obce
    reset_code_lists()


@pytest.fixture(autouse=True)
def _fresh_code_lists():
    """A test's rolled-back code-list changes must not stay in the in-memory snapshot."""
    from catalog.codes import reset_code_lists
    from portal.forms import reset_municipality_choices

    reset_code_lists()
    reset_municipality_choices()
    yield
    reset_code_lists()
    reset_municipality_choices()


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    # After every fixture's teardown, including the database flush of pytest-django.
    result = yield
    # After the last test the session fixtures are gone too, the test database with them:
    # a reload then would write into the development database.
    if nextitem is not None and _is_transactional(item):
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            load_reference_data()
    return result
