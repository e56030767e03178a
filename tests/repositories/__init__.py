"""Repository contract suites: one set of tests per repository port, run against both halves.

Each module here holds `<Port>Contract` classes whose tests use a `uow` fixture and reach the
repository as `uow.<property>`. `tests/unit/<service>/test_repositories.py` subclasses them with
the in-memory fake, `tests/integration/repositories/test_<service>.py` with the SQL adapter in a
transaction that is rolled back. A fake that drifts from its table fails here, not in production;
`tests/unit/test_repository_suites.py` checks that every method of every port is exercised.
"""
