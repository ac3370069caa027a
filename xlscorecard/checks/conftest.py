"""The helpers of :mod:`.testing` as pytest fixtures, for the tests beside each rule: a test
names the ones it uses (``def test_...(check, sample_book):``), so that a rule's module never
imports test scaffolding and running the checks never loads it."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from . import testing


@pytest.fixture
def sample_book() -> Callable:
    return testing.sample_book


@pytest.fixture
def sample_dataset() -> Callable:
    return testing.sample_dataset


@pytest.fixture
def book_for() -> Callable:
    return testing.book_for


@pytest.fixture
def type_into() -> Callable:
    return testing.type_into


@pytest.fixture
def check() -> Callable:
    return testing.check


@pytest.fixture
def codes() -> Callable:
    return testing.codes
