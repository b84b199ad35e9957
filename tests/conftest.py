"""Shared fixtures. Keep this file small: fixtures used by several test modules only."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def french_nlp():
    """The French spaCy pipeline, loaded once per process and shared with the commands under test."""
    from atelier.flows.modeling import french

    return french()


# ---------------------------------------------------------------- flows (Prefect)


@pytest.fixture(scope="session")
def prefect_harness():
    """One temporary Prefect server and database for every flow run of the session."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness():
        yield
